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
