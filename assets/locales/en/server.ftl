# The server's strings in English: mails, problem messages, certificate, data export.
# Every key here must exist in every other locale's server.ftl (a unit test checks it).
# Mails: `.subject` is plain text; `.html` is the body (the plain-text body is made from
# it). class="button" marks the call to action. Values are escaped by the server.

locale-name = English
locale-dir = ltr

## Problems: the title of each status, and the details a user reads.

problem-title-400 = Bad Request
problem-title-401 = Unauthorized
problem-title-402 = Payment Required
problem-title-403 = Forbidden
problem-title-404 = Not Found
problem-title-405 = Method Not Allowed
problem-title-409 = Conflict
problem-title-410 = Gone
problem-title-413 = Payload Too Large
problem-title-415 = Unsupported Media Type
problem-title-422 = Unprocessable Entity
problem-title-429 = Too Many Requests
problem-title-500 = Internal Server Error
problem-title-503 = Service Unavailable

problem-not-found = { $thing } not found
problem-detail-bad-login = the email or password is incorrect
problem-detail-disabled = this account is disabled
problem-detail-token-invalid = the access token is invalid or expired
problem-detail-session-ended = this session has ended; log in again
problem-detail-log-in-first = log in first: send an `Authorization: Bearer` access token
problem-detail-no-refresh = no refresh token was sent
problem-detail-enrol-lesson = enrol in this course to open this lesson
problem-detail-enrol-lessons = enrol in this course to open its lessons
problem-detail-revoked = your enrolment in this course has been revoked
problem-detail-review-enrolled = only learners enrolled in this course can review it
problem-detail-reviewed = you have already reviewed this course
problem-detail-email-taken = an account with this email already exists
problem-detail-cert-revoked = this certificate has been revoked
problem-detail-signed-only = this file is served only through a signed URL
problem-detail-no-route = no such resource or route
problem-detail-method = this method is not allowed on this resource
problem-detail-too-large = the request body is larger than this endpoint accepts
problem-detail-internal = an unexpected error occurred; it has been logged with this request's id
problem-detail-busy = the database is busy; try again
problem-detail-locale = must be one of the available locales (GET /api/i18n)
problem-detail-language = must be a language code such as en, fr or pt-BR
problem-detail-captions-video = captions belong to video lessons only
problem-detail-caption-text = a caption file must be UTF-8 text (WebVTT)
problem-detail-caption-vtt = a caption file must be WebVTT: its first line is WEBVTT
problem-detail-caption-language = must be a BCP 47 language tag such as en, fr or pt-BR
problem-detail-caption-label = must be 1 to 100 characters without control characters
problem-detail-transcript-long = must be at most 100000 characters
problem-detail-transcript-video = applies to video lessons only

## Fixed problem messages, found by their English text (the code writes that text).

problem-detail-must-be-the-index-from-0 = must be the index (from 0) of the correct option
problem-detail-must-be-a-list-of-one = must be a list of one or more indexes (from 0) of the correct options
problem-detail-the-refresh-token-is-not-valid = the refresh token is not valid
problem-detail-must-be-an-eu-vat-number = must be an EU VAT number starting with its country prefix, such as DE123456789
problem-detail-must-start-with-the-prefix-of = must start with the prefix of an EU member state (EL for Greece)
problem-detail-must-have-2-to-12-letters = must have 2 to 12 letters or digits after the country prefix
problem-detail-a-quiz-lesson-is-completed-by = a quiz lesson is completed by a passing quiz attempt
problem-detail-an-assignment-lesson-is-completed-by = an assignment lesson is completed by a passing grade
problem-detail-a-video-or-reading-lesson-is = a video or reading lesson is completed by marking it done
problem-detail-the-mfa-token-is-not-valid = the MFA token is not valid; log in again
problem-detail-the-mfa-token-has-expired-or = the MFA token has expired or was used; log in again
problem-detail-your-payment-is-overdue-update-your = your payment is overdue: update your card to open this course again (your progress is kept)
problem-detail-your-membership-is-paused-your-progress = your membership is paused (your progress is kept)
problem-detail-the-membership-that-opened-this-course = the membership that opened this course has ended (your progress is kept)
problem-detail-unsupported-content-type = unsupported content type
problem-detail-the-request-took-too-long = the request took too long
problem-detail-an-unexpected-error-occurred = an unexpected error occurred
problem-detail-the-request-could-not-be-processed = the request could not be processed
problem-detail-mfa-is-already-on-for-this = MFA is already on for this account; turn it off first to re-enrol
problem-detail-mfa-is-not-on-for-this = MFA is not on for this account
problem-detail-paypal-could-not-be-reached-deliver = PayPal could not be reached; deliver again later
problem-detail-paypal-is-not-enabled-on-this = PayPal is not enabled on this server
problem-detail-stripe-is-not-enabled-on-this = Stripe is not enabled on this server
problem-detail-a-category-cannot-sit-under-itself = a category cannot sit under itself or one of its sub-categories
problem-detail-a-coupon-with-this-code-already = a coupon with this code already exists
problem-detail-a-course-id-is-empty = a course id is empty
problem-detail-a-payment-for-this-order-is = a payment for this order is being created; retry
problem-detail-a-payment-plan-has-no-monthlyyearly = a payment plan has no monthly/yearly alternative
problem-detail-a-payment-plan-runs-to-its = a payment plan runs to its last instalment; ask staff to cancel it
problem-detail-a-quiz-needs-1-to-200 = a quiz needs 1 to 200 questions
problem-detail-a-reading-lesson-needs-a-markdown = a reading lesson needs a Markdown body of at most 200000 characters
problem-detail-a-video-lesson-needs-exactly-one = a video lesson needs exactly one of content_url or media_id
problem-detail-admins-must-set-up-mfa-first = admins must set up MFA first: POST /api/users/me/mfa/setup, then confirm a code with POST /api/users/me/mfa/confirm
problem-detail-an-account-already-uses-this-email = an account already uses this email: log in with its password to link this provider
problem-detail-an-archive-downloads-only-with-a = an archive downloads only with a token or through a signed link
problem-detail-an-assignment-needs-instructions-of-at = an assignment needs instructions of at most 50000 characters
problem-detail-another-product-has-this-sku = another product has this SKU
problem-detail-applies-only-to-singlechoice-and-multiplechoice = applies only to single_choice and multiple_choice questions
problem-detail-applies-to-courses-only = applies to courses only
problem-detail-applies-to-digital-products-only = applies to digital products only
problem-detail-applies-to-products-only = applies to products only
problem-detail-applies-to-quiz-lessons-only = applies to quiz lessons only
problem-detail-at-most-20-images = at most 20 images
problem-detail-at-most-20-tags = at most 20 tags
problem-detail-can-only-be-given-when-marking = can only be given when marking the order shipped
problem-detail-card-payments-stripe-are-not-enabled = card payments (Stripe) are not enabled here
problem-detail-email-is-already-registered = email is already registered
problem-detail-every-item-of-this-order-is = every item of this order is already covered by a refund
problem-detail-expected-a-request-body-with-content = expected a request body with Content-Type: application/json
problem-detail-give-exactly-one-of-percent-and = give exactly one of percent and fixed_cents
problem-detail-is-already-listed-above = is already listed above
problem-detail-is-answered-more-than-once = is answered more than once
problem-detail-is-incorrect = is incorrect
problem-detail-is-not-a-lesson-of-this = is not a lesson of this course
problem-detail-is-not-a-question-of-this = is not a question of this quiz
problem-detail-is-not-the-current-code-from = is not the current code from your authenticator app
problem-detail-is-not-this-plans-monthlyyearly-alternative = is not this plan's monthly/yearly alternative
problem-detail-is-one-of-the-most-commonly = is one of the most commonly used passwords; choose another
problem-detail-is-required = is required
problem-detail-is-required-for-choice-questions = is required for choice questions
problem-detail-is-required-for-physical-items = is required for physical items
problem-detail-is-required-for-physical-products = is required for physical products
problem-detail-is-required-eu-vat-is-charged = is required: EU VAT is charged at the rate of the country you live in
problem-detail-is-required-enter-your-current-password = is required: enter your current password to make this change
problem-detail-is-required-video-reading-quiz-or = is required: video, reading, quiz or assignment
problem-detail-is-too-large = is too large
problem-detail-learners-have-records-for-this-lesson = learners have records for this lesson
problem-detail-learners-have-records-in-this-sections = learners have records in this section's lessons
problem-detail-may-hold-only-letters-digits-and = may hold only letters, digits, '-' and '_'
problem-detail-metrics-are-not-available-in-this = metrics are not available in this process
problem-detail-must-be-1-to-100-characters = must be 1 to 100 characters
problem-detail-must-be-1-to-200-characters = must be 1 to 200 characters
problem-detail-must-be-1-to-2000-characters = must be 1 to 2000 characters
problem-detail-must-be-1-to-64-characters = must be 1 to 64 characters
problem-detail-must-be-2-to-20-non = must be 2 to 20 non-empty texts of at most 500 characters
problem-detail-must-be-utf-8-text = must be UTF-8 text
problem-detail-must-be-comp-or-manual-card = must be `comp` or `manual`; card memberships are started by the member
problem-detail-must-be-a-stripe-paymentmethod-id = must be a Stripe PaymentMethod id (pm_...)
problem-detail-must-be-a-date-yyyy-mm = must be a date YYYY-MM-DD
problem-detail-must-be-a-date-like-2026 = must be a date like 2026-01-31
problem-detail-must-be-a-quarter-like-2026 = must be a quarter like 2026-Q1
problem-detail-must-be-a-two-letter-iso = must be a two-letter ISO 3166-1 code
problem-detail-must-be-a-two-letter-iso-2 = must be a two-letter ISO 3166-1 country code such as DE
problem-detail-must-be-a-valid-email-address = must be a valid email address
problem-detail-must-be-a-whole-number-from = must be a whole number from 1 to 5
problem-detail-must-be-all-products-courses-or = must be all, products, courses or items
problem-detail-must-be-an-rfc-3339-time = must be an RFC 3339 time
problem-detail-must-be-an-rfc-3339-time-2 = must be an RFC 3339 time or a YYYY-MM-DD date
problem-detail-must-be-an-https-url-of = must be an http(s) URL of at most 2000 characters
problem-detail-must-be-at-least-1 = must be at least 1
problem-detail-must-be-at-most-1024-bytes = must be at most 1024 bytes long
problem-detail-must-be-at-most-200-characters = must be at most 200 characters
problem-detail-must-be-at-most-254-characters = must be at most 254 characters
problem-detail-must-be-at-most-500-characters = must be at most 500 characters
problem-detail-must-be-at-most-50000-characters = must be at most 50000 characters
problem-detail-must-be-at-most-64-characters = must be at most 64 characters
problem-detail-must-be-between-0-and-100 = must be between 0 and 100
problem-detail-must-be-between-0-and-1000000 = must be between 0 and 1000000
problem-detail-must-be-between-0-and-1000000000 = must be between 0 and 1000000000 (cents)
problem-detail-must-be-between-0-and-3650 = must be between 0 and 3650
problem-detail-must-be-between-0-and-maxscore = must be between 0 and max_score
problem-detail-must-be-between-1-and-100 = must be between 1 and 100
problem-detail-must-be-between-1-and-100-2 = must be between 1 and 100, or null for unlimited
problem-detail-must-be-between-1-and-1000 = must be between 1 and 1000
problem-detail-must-be-between-1-and-10000 = must be between 1 and 10000
problem-detail-must-be-between-1-and-1000000 = must be between 1 and 1000000
problem-detail-must-be-between-1-and-3650 = must be between 1 and 3650
problem-detail-must-be-day-week-or-month = must be day, week or month
problem-detail-must-be-invoice-or-creditnote = must be invoice or credit_note
problem-detail-must-be-json-or-csv = must be json or csv
problem-detail-must-be-null-for-digital-products = must be null for digital products (their stock is unlimited)
problem-detail-must-be-request-or-job = must be request or job
problem-detail-must-differ-from-the-current-password = must differ from the current password
problem-detail-must-have-at-most-500-answers = must have at most 500 answers
problem-detail-must-list-every-current-id-exactly = must list every current id exactly once, in the new order
problem-detail-must-name-a-plan-billed-at = must name a plan billed at the other interval (monthly <-> yearly)
problem-detail-must-name-at-least-one-item = must name at least one item
problem-detail-must-name-at-least-one-order = must name at least one order item
problem-detail-must-not-be-after-to = must not be after `to`
problem-detail-must-not-be-below-minprice = must not be below min_price
problem-detail-must-not-be-empty = must not be empty
problem-detail-must-not-be-negative = must not be negative
problem-detail-must-not-contain-control-characters = must not contain control characters
problem-detail-needs-scope-items = needs scope = "items"
problem-detail-no-mfa-enrolment-is-pending-start = no MFA enrolment is pending; start with POST /api/users/me/mfa/setup
problem-detail-no-admin-exists-to-take-over = no admin exists to take over this account's courses and products
problem-detail-no-provider-sign-in-is-waiting = no provider sign-in is waiting to be linked in this browser
problem-detail-no-such-category = no such category
problem-detail-no-such-plan = no such plan
problem-detail-no-such-section-in-this-course = no such section in this course
problem-detail-no-such-user = no such user
problem-detail-no-uploaded-file-has-this-id = no uploaded file has this id
problem-detail-no-user-has-this-id = no user has this id
problem-detail-only-a-comp-has-a-set = only a comp has a set length; a manual membership runs by recorded periods
problem-detail-only-a-live-card-membership-can = only a live card membership can switch plans
problem-detail-only-a-manual-membership-has-periods = only a manual membership has periods recorded by hand
problem-detail-only-digital-products-are-downloaded-courses = only digital products are downloaded; courses are in your courses and physical goods are shipped
problem-detail-only-manual-payments-are-confirmed-by = only manual payments are confirmed by staff; Stripe confirms its own
problem-detail-only-orders-whose-physical-items-are = only orders whose physical items are all yours can be updated by you
problem-detail-payments-at-the-office-or-by = payments at the office or by bank transfer are turned off (payments.gateways)
problem-detail-refused-after-writing = refused after writing
problem-detail-send-authorization-bearer-metricstoken = send `Authorization: Bearer <metrics.token>`
problem-detail-send-a-text-a-url-or = send a text, a url or a media_id
problem-detail-send-multipartform-data-with-a-file = send multipart/form-data with a `file` field
problem-detail-setup-is-complete-an-admin-account = setup is complete: an admin account already exists
problem-detail-the-card-was-declined-nothing-was = the card was declined; nothing was charged and no membership was started
problem-detail-the-cart-is-empty = the cart is empty
problem-detail-the-code-is-not-valid-use = the code is not valid; use the current code from your authenticator app or an unused recovery code
problem-detail-the-database-writer-stopped = the database writer stopped
problem-detail-the-event-has-no-id-or = the event has no id or event_type
problem-detail-the-orders-total-changed-since-this = the order's total changed since this payment was opened
problem-detail-the-password-is-not-correct = the password is not correct
problem-detail-the-server-is-shutting-down = the server is shutting down
problem-detail-the-setup-token-is-not-valid = the setup token is not valid
problem-detail-the-sign-in-provider-cannot-be = the sign-in provider cannot be reached; try again later
problem-detail-the-worker-thread-stopped = the worker thread stopped
problem-detail-there-is-no-such-coupon = there is no such coupon
problem-detail-this-account-has-already-been-erased = this account has already been erased
problem-detail-this-account-is-disabled-contact-the = this account is disabled; contact the school
problem-detail-this-assignment-has-already-been-graded = this assignment has already been graded as passed
problem-detail-this-category-has-sub-categories-move = this category has sub-categories; move or delete them first
problem-detail-this-course-is-already-in-your = this course is already in your cart
problem-detail-this-is-not-a-paypal-payment = this is not a PayPal payment
problem-detail-this-is-the-only-admin-account = this is the only admin account; make another admin first
problem-detail-this-is-your-only-way-to = this is your only way to sign in: set a password (use "Forgot password") or link another provider first
problem-detail-this-item-is-being-refunded-or = this item is being refunded or was refunded, so it can no longer be downloaded
problem-detail-this-link-has-expired-ask-for = this link has expired; ask for a new one
problem-detail-this-link-request-has-expired-sign = this link request has expired; sign in with the provider again
problem-detail-this-links-signature-is-invalid = this link's signature is invalid
problem-detail-this-login-link-has-already-been = this login link has already been used
problem-detail-this-member-already-has-this-plan = this member already has this plan
problem-detail-this-membership-already-ends-at-the = this membership already ends at the end of its period
problem-detail-this-membership-is-already-on-that = this membership is already on that plan
problem-detail-this-membership-is-not-cancelled = this membership is not cancelled
problem-detail-this-order-is-paid-cancelling-it = this order is paid: cancelling it requires a refund of the payment
problem-detail-this-plan-has-no-monthlyyearly-alternative = this plan has no monthly/yearly alternative
problem-detail-this-provider-account-is-already-linked = this provider account is already linked to another account
problem-detail-this-quiz-has-no-questions-yet = this quiz has no questions yet
problem-detail-this-refresh-token-was-already-used = this refresh token was already used; the session has been ended for safety
problem-detail-this-setup-link-has-already-been = this setup link has already been used
problem-detail-this-setup-link-has-expired-restart = this setup link has expired; restart the server to get a new one
problem-detail-this-slug-is-taken = this slug is taken
problem-detail-this-submission-has-already-been-graded = this submission has already been graded
problem-detail-to-erase-your-own-account-use = to erase your own account use DELETE /api/users/me with your password
problem-detail-vendors-may-only-mark-orders-shipped = vendors may only mark orders shipped or delivered
problem-detail-you-already-have-this-plan = you already have this plan
problem-detail-you-are-already-enrolled-in-every = you are already enrolled in every course of this bundle
problem-detail-you-are-already-enrolled-in-this = you are already enrolled in this course
problem-detail-you-cannot-disable-your-own-account = you cannot disable your own account; ask another admin
problem-detail-you-cannot-remove-your-own-admin = you cannot remove your own admin role; ask another admin
problem-detail-you-have-already-reviewed-this-course = you have already reviewed this course; edit your review instead
problem-detail-the-provider-has-not-verified-this = the provider has not verified this email address; verify it there first
problem-detail-accounts-of-this-email-domain-may = accounts of this email domain may not sign in with this provider
problem-detail-no-account-uses-this-email-and = no account uses this email, and sign-up with this provider is closed
problem-detail-must-be-1-100-lower-case = must be 1-100 lower-case letters, digits and single dashes, e.g. `intro-to-rust`
problem-detail-choose-a-shipping-method-for-the = choose a shipping method for the physical items
problem-detail-a-shipping-country-is-needed-for = a shipping country is needed for the physical items
problem-detail-the-amounts-in-this-cart-are = the amounts in this cart are too large to process
problem-detail-this-coupon-is-not-valid-yet = this coupon is not valid yet
problem-detail-this-coupon-has-expired = this coupon has expired
problem-detail-this-coupon-has-been-used-up = this coupon has been used up
problem-detail-you-have-already-used-this-coupon = you have already used this coupon as often as it allows (orders awaiting payment count until they are cancelled)
problem-detail-this-coupon-does-not-apply-to = this coupon does not apply to anything in the cart
problem-detail-an-item-in-the-cart-no = an item in the cart no longer exists
problem-detail-must-be-true-or-false = must be true or false
problem-detail-must-be-a-string = must be a string
problem-detail-this-question-cannot-be-answered = this question cannot be answered
problem-detail-no-sign-in-was-started-in = no sign-in was started in this browser, or it expired: start again
problem-detail-the-sign-in-answer-does-not = the sign-in answer does not belong to this browser's sign-in (state)
problem-detail-the-provider-sent-no-code = the provider sent no code

thing-user = user
thing-order = order
thing-payment = payment
thing-course = course
thing-refund = refund
thing-review = review
thing-lesson = lesson
thing-coupon = coupon
thing-submission = submission
thing-section = section
thing-certificate = certificate
thing-page = page
thing-category = category
thing-media = file
thing-route = route
thing-caption = caption
thing-account = account
thing-backup = backup
thing-bundle = bundle
thing-cart-item = cart item
thing-credit-note = credit note
thing-download = download
thing-enrollment = enrollment
thing-enrolment = enrolment
thing-file = file
thing-identity = identity
thing-invoice = invoice
thing-media-file = media file
thing-membership = membership
thing-order-item = order item
thing-plan = plan
thing-product = product
thing-sign-in-provider = sign-in provider
thing-subscription = subscription
thing-tag = tag
thing-quiz = quiz
thing-assignment = assignment
problem-one-field = { $field }: { $message }
problem-fields-invalid = { $count ->
    [one] { $count } field is invalid
   *[other] { $count } fields are invalid
}

## Problems with values (built from their key, `msg!`): the English is what the code showed before.

problem-roles-needed = this action needs one of these roles: { $roles }
problem-token-not-valid = { $what ->
    [login_link] this login link is not valid
   *[other] this password reset link is not valid
}
problem-token-used = { $what ->
    [login_link] this login link has already been used; ask for a new one
   *[other] this password reset link has already been used; ask for a new one
}
problem-token-expired = { $what ->
    [login_link] this login link has expired; ask for a new one
   *[other] this password reset link has expired; ask for a new one
}
problem-cents-between = must be between { $min } and { $max } (cents)
problem-courses-count = must name 1 to { $max } courses
problem-course-twice = course { $id } is named twice
problem-course-missing = course { $id } does not exist
problem-course-not-yours = course { $id } is another instructor's: you may bundle only your own courses
problem-course-not-sellable = course { $id } is { $status } and cannot be sold
problem-filter-not-for = does not apply to { $table }
problem-sort-unknown = `{ $value }` is not a sort order; use one of: { $allowed }
problem-upload-unreadable = the upload could not be read: { $cause }
problem-file-bytes = the file has { $size } bytes
problem-lesson-opens-on = this lesson opens on { $opens }
problem-lesson-opens-at = this lesson opens at { $opens }
problem-file-type = the file's content is not an accepted type ({ $accepted })
problem-no-category = no category `{ $id }`
problem-unknown-tags = unknown tags: { $ids }
problem-unknown-media = unknown media: { $ids }
problem-foreign-uploads = you can attach only your own uploads: { $ids }
problem-slug-taken = the slug `{ $slug }` is taken
problem-chars-range = must be { $min } to { $max } characters
problem-max-chars = must be at most { $max } characters
problem-between = must be between { $min } and { $max }
problem-max-lines = { $max ->
    [one] may hold at most { $max } line
   *[other] may hold at most { $max } lines
}
problem-range-days = { $max ->
    [one] the range may span at most { $max } day
   *[other] the range may span at most { $max } days
}
problem-min-chars = { $min ->
    [one] must be at least { $min } character long
   *[other] must be at least { $min } characters long
}
problem-downloads-unpaid = the order is { $status }; downloads open once it is paid
problem-open-orders = you have { $open } unpaid orders and one buyer may have at most { $limit } awaiting payment; pay or cancel one first
problem-held-units = one buyer may hold at most { $limit } unpaid units of { $name } and your unpaid orders already hold { $held }; pay or cancel them, or order fewer
problem-zip-too-many = { $count } documents in this period; one ZIP holds at most { $max }: ask for a shorter period
problem-bought-once = a { $item_type } is bought once: use 1
problem-not-for-sale = { $name } is not for sale
problem-no-shipping-to = no shipping method ships to { $country }
problem-no-shipping-here = no shipping method ships to this country
problem-vies-unknown = VIES does not know { $number } as a valid VAT number; correct it or leave it out
problem-vat-country = is registered in { $registered }, not in the billing country { $declared }
problem-billing-country-ip = says { $billing } but your connection comes from { $ip }; confirm the country you live in (without a VPN or proxy) or enter your business's VAT number
problem-no-db-connection = no database connection: { $cause }
problem-db-silent = the database does not answer: { $cause }
problem-bad-query = invalid query string: { $cause }
problem-bad-json = the request body is not valid JSON: { $cause }
problem-attempts-used = { $max ->
    [one] the only attempt at this quiz has been used
   *[other] all { $max } attempts at this quiz have been used
}
problem-course-costs = this course costs { $price } { $currency } (in cents); buy it to enrol
problem-rate-bps = { $bps } basis points is more than 100 %
problem-provider-declined = the provider did not sign you in ({ $cause })
problem-provider-failed = the sign-in with the provider failed: { $cause }
problem-quantity-min = the quantity of item { $id } must be at least 1
problem-negative-price = item { $id } has a negative price
problem-bad-setting = invalid store setting: { $field }: { $problem }
problem-no-shipping-method = there is no shipping method { $id }
problem-method-not-to = shipping method { $id } does not ship to { $country }
problem-coupon-minimum = this coupon needs a subtotal of at least { $amount }
problem-between-got = must be between { $min } and { $max }, got { $got }
problem-positive-got = must be positive, got { $got }
problem-not-negative-got = must not be negative, got { $got }
problem-country-code = { $code } is not a two-letter country code
problem-change-cart = { $why }; change your cart and try again
problem-no-longer-for-sale = { $name } is no longer for sale
problem-enrolled-in = you are already enrolled in { $name }
problem-only-left = only { $available } of { $name } left
problem-price-changed = the price of { $name } changed from { $from } to { $to } cents
problem-price-changed-order = { $change }; the order uses the current price
problem-detail-shipping-is-an-estimate-until-a = shipping is an estimate until a country is given
problem-coupon-limit = { $reason } ({ $name } is { $value })
problem-unknown-role = unknown role `{ $role }`; expected admin, vendor, instructor or student
problem-unknown-value = unknown { $name } { $value } (expected one of: { $expected })
problem-cannot-move = cannot move { $subject } from { $from } to { $to }
problem-cannot-move-only = only { $cause } can move { $subject } from { $from } to { $to }
lifecycle-subject = { $subject ->
    [an-order] an order
    [a-membership] a membership
    [a-payment] a payment
    [a-refund-request] a refund request
    [an-enrolment] an enrolment
   *[other] { $text }
}
lifecycle-cause = { $cause ->
    [a-refund] a refund
    [a-payment] a payment
    [fulfilment] fulfilment
    [a-cancellation] a cancellation
   *[other] { $text }
}
# A status inside a sentence; English says the code API clients read.
status-word = { $code }
problem-body-unreadable = { $cause }
problem-missing-field = missing field `{ $name }`
problem-json-invalid = { $cause }
problem-option-index = must be an option index from 0 to { $max }
problem-option-indexes = must be an array of option indexes from 0 to { $max }
problem-gateway-refused = the payment provider refused the request: { $cause }
problem-gateway-unavailable = the payment provider is unavailable: { $cause }
problem-paid-by-payment = an order is paid only by a recorded payment: confirm its manual payment with POST /api/admin/payments/{ $id }/confirm
problem-paid-no-payment = an order is paid only by a recorded payment: the buyer's card payment, or a manual payment the buyer started and staff confirm with POST /api/admin/payments/{"{"}id{"}"}/confirm; this order has no payment to confirm
problem-refund-order-unpaid = order { $number } is { $status }; only paid orders can be refunded
problem-refund-not-approved = the refund is { $status }, not approved
problem-cancel-order-status = order { $number } is { $status }; only paid, unshipped orders can be cancelled
problem-cancel-refused = this order can no longer be cancelled and refunded: { $reasons }; ask for a refund of the items that qualify, or ask staff
problem-refund-not-sent = the refund could not be sent ({ $cause }); the order stays paid and the refund is queued for staff
problem-no-answer = no answer
problem-not-order-item = { $id } is not an item of this order
problem-item-refunded = item { $id } is already covered by another refund
problem-refund-too-much = { $asked } cents is more than these items paid that is not yet refunded: at most { $refundable } cents can be refunded
problem-bundle-whole = a bundle is refunded whole: leave amount_cents out or ask for { $whole } cents, not { $asked }
problem-positive-not = must be positive, not { $amount }
problem-gateway-off = { $gateway } payments are not enabled here
problem-payment-pending = order { $number } already has a pending { $gateway } payment
problem-payment-not-awaiting = the payment is { $status }, not awaiting confirmation
problem-order-not-awaiting = order { $number } is { $status }, not awaiting payment
problem-payment-not-confirmed = the payment could not be confirmed ({ $cause })
problem-membership-status = this membership is { $status }
problem-detail-must-name-a-published-bundle-whose = must name a published bundle whose courses are all published
problem-detail-a-bundle-that-includes-products-is = a bundle that includes products is sold in the shop only, not in instalments
problem-detail-this-plans-bundle-is-no-longer = this plan's bundle is no longer for sale
problem-detail-is-not-a-card-stripe-can = is not a card Stripe can use for this membership
problem-detail-this-membership-is-not-paid-by = this membership is not paid by card, so it has no card to update
problem-detail-this-membership-has-no-stripe-subscription = this membership has no Stripe subscription to update
problem-detail-stripe-did-not-save-the-card = Stripe did not save the card for the next charges (any overdue payment it took is recorded); try again
problem-detail-a-product-id-is-empty = a product id is empty
problem-no-course = no course `{ $id }`
problem-membership-nothing-to-pay = this membership is { $status }; there is nothing left to pay
problem-card-declined = the card was declined; { $outcome ->
   *[unchanged] the card on file is unchanged
    [overdue] nothing was charged, the card was not saved, and the membership is still overdue
}
problem-card-declined-said = the card was declined ({ $said }); { $outcome ->
   *[unchanged] the card on file is unchanged
    [overdue] nothing was charged, the card was not saved, and the membership is still overdue
}
problem-bundle-max-products = { $max ->
    [one] must name at most { $max } product
   *[other] must name at most { $max } products
}
problem-bundle-product-twice = product { $id } is named twice
problem-bundle-product-missing = product { $id } does not exist
problem-bundle-product-not-yours = product { $id } is someone else's: you may bundle only your own products
problem-bundle-product-status = product { $id } is { $status } and cannot be sold
problem-bundle-product-currency = product { $id } is priced in { $currency }, the bundle in { $bundle_currency }
problem-paypal-header = the { $header } header is missing: not a PayPal delivery
problem-event-incomplete = the { $kind } event lacks the ids or amount it must carry
problem-event-not-json = the event is not JSON: { $cause }
problem-paypal-unverified = PayPal did not verify the delivery ({ $answer })
problem-event-unreadable = the event cannot be read: { $cause }
problem-stripe-signature = the Stripe-Signature header does not verify: { $cause }
problem-locked-email = { $seconds ->
    [one] too many failed sign-ins for this email from your address; try again in { $seconds } second
   *[other] too many failed sign-ins for this email from your address; try again in { $seconds } seconds
}
problem-locked-address = { $seconds ->
    [one] too many failed sign-ins from your address; try again in { $seconds } second
   *[other] too many failed sign-ins from your address; try again in { $seconds } seconds
}

## Counts (plural rules of each language).

items-count = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
minutes-count = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}

## Mails.

mail-hello = Hello { $name },
mail-view-order = View your order
mail-not-given = not given

mail-welcome =
    .subject = Welcome to { $store_name }
    .html =
        <p>Hello { $name },</p>
        <p>welcome to { $store_name }! Your account for <strong>{ $email }</strong> is ready.</p>
        <p><a class="button" href="{ $login_url }">Log in</a></p>
        <p>See you soon,<br>{ $store_name }</p>

mail-password_reset =
    .subject = Reset your { $store_name } password
    .html =
        <p>Hello { $name },</p>
        <p>someone (hopefully you) asked to reset the password of your { $store_name } account.</p>
        <p><a class="button" href="{ $reset_url }">Choose a new password</a></p>
        <p>This link works once and expires in { $minutes ->
            [one] { $minutes } minute
           *[other] { $minutes } minutes
        }. If you did not ask for it, ignore this mail: your password stays as it is.</p>
        <p>{ $store_name }</p>

mail-order_received =
    .subject = We received your order { $number }
    .html =
        <p>Hello { $name },</p>
        <p>thank you for your order <strong>{ $number }</strong> at { $store_name }. We have received it and are waiting for your payment.</p>
        <pre>{ $items }</pre>
        <p><strong>Total: { $total }</strong></p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

mail-order_paid =
    .subject = Order { $number } is paid and confirmed
    .html =
        <p>Hello { $name },</p>
        <p>your order <strong>{ $number }</strong> at { $store_name } is paid and confirmed.</p>
        <pre>{ $items }</pre>
        <p><strong>Total: { $total }</strong></p>
        <p>{ $ships ->
            [yes] We are preparing your parcel and will write again when it ships.
           *[no] Your courses and downloads are ready in your account.
        }</p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

mail-order_shipped =
    .subject = Order { $number } has shipped
    .html =
        <p>Hello { $name },</p>
        <p>good news: your order <strong>{ $number }</strong> from { $store_name } has been shipped.</p>
        <p>Tracking number: <strong>{ $tracking_number }</strong></p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

mail-order_cancelled =
    .subject = Order { $number } was cancelled
    .html =
        <p>Hello { $name },</p>
        <p>your order <strong>{ $number }</strong> at { $store_name } has been cancelled.</p>
        <p>Reason: { $reason }</p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

mail-manual_hold_lapsing =
    .subject = Order { $number }: its manual payment is unconfirmed and its hold lapses soon
    .html =
        <p>Hello,</p>
        <p>order <strong>{ $number }</strong> at { $store_name } ({ $total }) is waiting for a manual payment (office or bank transfer) that nobody has confirmed yet.</p>
        <p>Its hold lapses at <strong>{ $lapses_at }</strong>: unless the payment is confirmed before then, the order is cancelled and its items are released.</p>
        <p><a class="button" href="{ $order_url }">Confirm the payment</a></p>
        <p>{ $store_name }</p>

mail-payment_reversed =
    .subject = Order { $number }: its payment was reversed at { $gateway }
    .html =
        <p>Hello,</p>
        <p>the payment of order <strong>{ $number }</strong> at { $store_name } ({ $amount }) was reversed at { $gateway }: the buyer's bank or { $gateway } took the money back (a chargeback or a reversal).</p>
        <p>The order is now refunded and the courses it granted were revoked. Look into the dispute at { $gateway }, and at the order.</p>
        <p><a class="button" href="{ $order_url }">Open the order</a></p>
        <p>{ $store_name }</p>

mail-course_completed =
    .subject = You completed { $course_title }
    .html =
        <p>Hello { $name },</p>
        <p>congratulations: you have completed <strong>{ $course_title }</strong>!</p>
        <p><a class="button" href="{ $my_courses_url }">Download your certificate</a></p>
        <p class="small">Certificate { $serial }: anyone can check that it is genuine at <a href="{ $verify_url }">{ $verify_url }</a>.</p>
        <p>Did you enjoy the course? <a href="{ $review_url }">Tell other learners in a review</a>.</p>
        <p>{ $store_name }</p>

mail-assignment_graded =
    .subject = Your assignment { $lesson_title } was graded
    .html =
        <p>Hello { $name },</p>
        <p>your assignment <strong>{ $lesson_title }</strong> in <strong>{ $course_title }</strong> has been graded.</p>
        <p>Grade: <strong>{ $score } / { $max_score }</strong> ({ $passed ->
            [yes] passed
           *[no] not passed yet
        })</p>
        <p>Feedback:</p>
        <blockquote>{ $feedback }</blockquote>
        <p><a class="button" href="{ $lesson_url }">Open the lesson</a></p>
        <p>{ $store_name }</p>
mail-no-feedback = (no feedback given)

mail-refund_requested =
    .subject = Your refund request for order { $number }
    .html =
        <p>Hello { $name },</p>
        <p>we received your refund request for order <strong>{ $number }</strong> at { $store_name } ({ $amount }).</p>
        <p class="pre">{ $decision }</p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>
refund-approved = Your request is approved: the money is on its way back to you.
refund-review = Your request is waiting for review by our staff; we will write again once it is decided.
refund-return-first = Please send the items back to us; the refund follows once they have arrived.
refund-ask-where = Reply to this mail to ask where to send them.
refund-rejected = Unfortunately the request cannot be granted:
refund-reason-no_items = choose at least one item to refund
refund-reason-outside_window = refunds must be requested within { $window_days ->
        [one] { $window_days } day
       *[other] { $window_days } days
    } of payment, and this order was paid { $days_since_payment ->
        [one] { $days_since_payment } day
       *[other] { $days_since_payment } days
    } ago
refund-reason-course_progress_too_high = course { $course_id } is { $progress_percent }% complete; refunds are only possible up to { $max_progress_percent }%
refund-reason-certificate_issued = a certificate has been issued for course { $course_id }
refund-reason-bundle_progress_too_high = bundle { $bundle_id } is { $progress_percent }% complete (the { $rule ->
        [average] average
       *[other] maximum
    } of its courses); refunds are only possible up to { $max_progress_percent }%
refund-reason-digital_item_downloaded = product { $product_id } has already been downloaded

mail-refund_processed =
    .subject = We refunded { $amount } for order { $number }
    .html =
        <p>Hello { $name },</p>
        <p>we refunded <strong>{ $amount }</strong> for order <strong>{ $number }</strong> at { $store_name }.</p>
        <p>Reason: { $reason }</p>
        <p>The money goes back the way you paid; your bank may take a few days to show it.</p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

mail-refund_rejected =
    .subject = Your refund request for order { $number } was not approved
    .html =
        <p>Hello { $name },</p>
        <p>your refund request for order <strong>{ $number }</strong> at { $store_name } ({ $amount }) was not approved.</p>
        <p>Note from our staff: { $note }</p>
        <p><a class="button" href="{ $order_url }">View your order</a></p>
        <p>{ $store_name }</p>

## The certificate (printed in the course's language).

cert-heading = Certificate of Completion
cert-certify = This is to certify that
cert-completed = has successfully completed the course
cert-instructor = Instructor
cert-date = Date of completion
cert-scan = Scan to verify
cert-number = Certificate No. { $serial }
cert-verify-at = Verify at { $url }
cert-title = Certificate { $serial }
cert-subject = Certificate of Completion { $serial }: { $learner } completed { $course }

## The readable page of the personal-data export (in the user's locale).

export-title = Your data at { $store }
export-intro = Exported { $at }. The file data.json beside this page holds the same data for programs.
export-none = None.
export-section-vat-evidence = VAT evidence
    .order_number = Order
    .country = Country taxed
    .billing_country = Billing country
    .ip_address = IP address
    .ip_country = Country of the IP address
    .card_country = Country of the card
    .evidence_pieces = Pieces of evidence
    .vat_number = VAT number
    .vies_status = VIES answer
    .vies_consultation = VIES consultation number
    .vies_name = Name given by VIES
    .vies_checked_at = VIES asked at
    .reverse_charge = Reverse charge
    .scheme = Tax scheme
    .evidence_conflict = Contradiction
    .created_at = Recorded at

mail-membership_welcome =
    .subject = Welcome to { $plan }
    .html =
        <p>Hello { $name },</p>
        <p>your membership { $plan } at { $store_name } has started ({ $price } per { $interval ->
            [year] year
           *[month] month
        }).</p>
        <p>Your courses are open now; your plan, next charge and invoices are on your membership page.</p>
        <p><a class="button" href="{ $membership_url }">Open your membership</a></p>
        <p>{ $store_name }</p>

mail-membership_receipt =
    .subject = Receipt: { $plan }, { $amount }
    .html =
        <p>Hello { $name },</p>
        <p>we received { $amount } for { $plan } at { $store_name }. { $note }</p>
        <p>Your invoices are on your membership page.</p>
        <p><a class="button" href="{ $membership_url }">Open your membership</a></p>
        <p>{ $store_name }</p>

mail-membership_payment_failed =
    .subject = Your payment for { $plan } failed
    .html =
        <p>Hello { $name },</p>
        <p>the payment of { $amount } for { $plan } at { $store_name } failed. Your courses stay open until { $grace_until }; update your card before then to keep them (your progress is kept either way).</p>
        <p><a class="button" href="{ $membership_url }">Update your card</a></p>
        <p>{ $store_name }</p>

mail-membership_paused =
    .subject = Your access through { $plan } is paused
    .html =
        <p>Hello { $name },</p>
        <p>your membership { $plan } at { $store_name } is paused, so the courses it opened are closed for now. Your progress and certificates are kept and come back when it resumes.</p>
        <p><a class="button" href="{ $membership_url }">Open your membership</a></p>
        <p>{ $store_name }</p>

mail-membership_cancelled =
    .subject = Your membership { $plan } is cancelled
    .html =
        <p>Hello { $name },</p>
        <p>your membership { $plan } at { $store_name } { $when }. Your progress and certificates are kept; subscribe again at any time.</p>
        <p><a class="button" href="{ $membership_url }">Open your membership</a></p>
        <p>{ $store_name }</p>

## Dynamic values inside mails (dates, membership notes)
mail-date = { $date }
mail-date-time = { $date } at { $time } UTC
membership-note-paid-off = That was the last instalment: the course is yours for good.
membership-note-paid-off-bundle = That was the last instalment: every course of the bundle is yours for good.
membership-when-cancelled = was cancelled
membership-when-ended = has ended after its payments stopped
membership-when-comp-ended = has reached the end of the time it was given for
membership-when-ends-on = ends on { $date } (you cancelled it; you can resume it until then)
membership-when-ends-later = ends at the end of the period (you cancelled it; you can resume it until then)

## Notes the system writes on an order's history (commerce::history_note)
order-note-placed = order placed
order-note-nothing-to-pay = nothing to pay
order-note-payment-received = payment received
order-note-nothing-to-ship = nothing to ship
order-note-refund-processed = refund processed
order-note-cancelled-and-refunded = cancelled and refunded
order-note-refunded-at-stripe = refunded at Stripe
order-note-refunded-at-paypal = refunded at PayPal
order-note-reversed-at-paypal = payment reversed at PayPal
order-note-cancelled-by-buyer = cancelled by the buyer
order-note-cancelled-by-staff = cancelled by staff
order-note-cancelled = order cancelled
order-note-manual-hold-lapsed = manual payment not confirmed within { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
order-note-hold-lapsed = payment not received within { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }

## Invoices and credit notes (PDF), printed in the buyer's locale when issued.

invoice-title = Invoice
invoice-credit-note-title = Credit note
invoice-description = { $title } { $number } for order { $order }
invoice-continued = continued on the next page
invoice-vat-number = VAT number: { $value }
invoice-tax-number = Tax number: { $value }
invoice-number = Number: { $value }
invoice-issue-date = Date of issue: { $value }
invoice-supply-date = Date of supply: { $value }
invoice-order = Order: { $value }
invoice-corrects = Corrects invoice: { $value }
invoice-bill-to = Bill to
invoice-credited-to = Credited to
invoice-reason = Reason: { $value }
invoice-description-column = Description
invoice-quantity = Qty
invoice-unit-price = Unit price
invoice-discount = Discount
invoice-net = Net
invoice-vat-percent = VAT %
invoice-vat = VAT
invoice-total = Total
invoice-vat-rate = VAT rate
invoice-net-total = Net total
invoice-vat-total = VAT total
invoice-grand-total = Total
invoice-total-credited = Total credited
invoice-money = { $amount } { $currency }
invoice-payment-method = Payment method: { $value }
invoice-prices-include-vat = Unit prices include VAT.
invoice-paid-stripe = Card (Stripe)
invoice-paid-paypal = PayPal
invoice-paid-manual = Bank transfer or payment at the office
invoice-paid-online = Online payment
invoice-paid-nothing-due = No payment due
invoice-reverse-charge = Reverse charge: VAT to be accounted for by the recipient, Article 196 Directive 2006/112/EC
