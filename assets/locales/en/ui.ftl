# The web UI's words in English (the fallback for every other language).
# One message a line, or a block with plural/select variants; the code reads them with
# t('id', { args }) from assets/js/i18n.js. Add a language: copy this file to
# assets/locales/<code>/ui.ftl and translate the right-hand sides (keep ids and { $names }).
# Messages are grouped by the file that first uses them.

## index.html

skip-to-content = Skip to content
menu = Menu
main-navigation = Main
needs-javascript = Schoolhouse needs JavaScript turned on in your browser.

## admin/index.html

admin-page-title = Admin · Schoolhouse
admin-sections = Admin sections
admin-needs-javascript = The admin area needs JavaScript turned on in your browser.

## js/shell.js

cart = Cart
account = Account
view-site = View site
log-out = Log out
you-are-logged-out = You are logged out.
sign-up = Sign up
cart-badge-items = { $count ->
    [one] , { $count } item
   *[other] , { $count } items
}
language = Language
language-changed = The language was changed.

## js/app.js

there-is-nothing-at-this-address = There is nothing at this address. It may have moved, or the link may be mistyped.
go-to-the-catalogue = Go to the catalogue

## js/ui.js

free = Free
hours-h-minutes-min = { $hours } h { $minutes } min
hours-h = { $hours } h
value-min = { $value } min
please-wait = Please wait…
pages = Pages
page-current-of-pages = Page { $current } of { $pages }
rated-value-out-of-5 = Rated { $value } out of 5
rated = Rated
out-of-5 = out of 5,
please-correct-the-highlighted-field = Please correct the highlighted field.
previous-page = ← Previous
next-page = Next →

## js/api.js

could-not-reach-the-server-check = Could not reach the server. Check your connection and try again.
too-many-attempts-please-wait-a = Too many attempts. Please wait a moment and try again.
something-went-wrong-on-the-server = Something went wrong on the server. Please try again.
the-request-failed-status = The request failed ({ $status }).

## js/router.js

something-went-wrong = Something went wrong

## js/status.js

status-pending = Awaiting payment
status-paid = Paid
status-fulfilled = Fulfilled
status-shipped = Shipped
status-delivered = Delivered
status-cancelled = Cancelled
status-refunded = Refunded
status-partially-refunded = Partly refunded
status-completed = Completed
status-failed = Failed
status-requested = Waiting for review
status-return-requested = Waiting for the return
status-return-received = Return received
status-approved = Approved
status-processed = Paid back
status-rejected = Declined
status-active = Active
status-revoked = Access ended
status-submitted = Waiting for a grade
status-graded = Graded
status-draft = Draft
status-published = Published
status-archived = Archived

## js/pages/account-security.js

qr-code-to-scan-with-your = QR code to scan with your authenticator app
two-factor-authentication = Two-factor authentication
two-factor-authentication-is-off-add = Two-factor authentication is off. Add a code from an authenticator app to every login, so a stolen password is not enough.
add-a-code-from-an-authenticator = Add a code from an authenticator app to every login, so a stolen password is not enough.
set-up-two-factor-authentication = Set up two-factor authentication
logins-need-a-code-from-your = Logins need a code from your authenticator app.
starting = Starting…
two-factor-authentication-is-already-on = Two-factor authentication is already on for your account.
open-your-authenticator-app-for-example = Open your authenticator app (for example Aegis, Google Authenticator or 1Password) and scan this code:
enter-the-six-digit-code-the = Enter the six-digit code the app shows, and your password to confirm it is you.
cannot-scan-enter-the-key-by = Cannot scan? Enter the key by hand
code-from-the-app = Code from the app
password = Password
to-confirm-it-is-you = To confirm it is you.
turn-on = Turn on
checking = Checking…
copy-codes = Copy codes
recovery-codes-copied = Recovery codes copied.
copy-failed-please-write-the-codes = Copy failed; please write the codes down.
two-factor-authentication-is-on = Two-factor authentication is on.
save-these-recovery-codes-now-each = Save these recovery codes now. Each one works once if you lose your phone. They are shown only this time.
recovery-codes = Recovery codes
i-have-saved-them = I have saved them
two-factor-authentication-is-on-save = Two-factor authentication is on. Save your recovery codes.
turn-off-two-factor-authentication = Turn off two-factor authentication
code-from-the-app-or-a = Code from the app or a recovery code
turn-off = Turn off
two-factor-authentication-is-not-on = Two-factor authentication is not on for your account.
two-factor-authentication-is-off = Two-factor authentication is off.
turning-off = Turning off…
download-my-data = Download my data
preparing-your-data = Preparing your data…
your-data-was-downloaded-as-name = Your data was downloaded as { $name }.
your-data = Your data
download-everything-the-school-holds-abo = Download everything the school holds about you — profile, orders, payments, courses, progress, quiz attempts, submissions and reviews — as a ZIP file with a readable page and a JSON file.
deleting-your-account-removes-your-name = Deleting your account removes your name, email and submissions and ends every session. Orders and payments are kept for the school's accounts, without your name. This cannot be undone.
i-understand-that-my-account-will = I understand that my account will be deleted for good
delete-my-account = Delete my account
your-account-was-deleted = Your account was deleted.
deleting = Deleting…
delete-account = Delete account

## js/pages/account.js

current-password = Current password
needed-to-change-your-email-address = Needed to change your email address.
email = Email
save-profile = Save profile
your-profile-was-saved = Your profile was saved.
new-password = New password
at-least-10-characters = At least 10 characters.
repeat-new-password = Repeat new password
change-password = Change password
your-password-was-changed-you-were = Your password was changed. You were logged out on your other devices.
your-password-was-changed = Your password was changed.
changing = Changing…
your-account = Your account
signed-in-as = Signed in as
member-since = · member since
profile = Profile
administrator = Administrator
the-two-passwords-do-not-match = The two passwords do not match.

## js/pages/auth.js

an-account-already-uses-email-log = An account already uses { $email }. Log in with its password once to link your { $provider } account to it.
you-are-logged-in = You are logged in.
enter-the-6-digit-code-from = Enter the 6-digit code from your authenticator app, or one of your recovery codes.
authentication-code = Authentication code
verify = Verify
start-over = Start over
verifying = Verifying…
log-in = Log in
forgot-your-password = Forgot your password?
logging-in = Logging in…
new-here = New here?
create-an-account = Create an account
create-account = Create account
your-account-is-ready = Your account is ready.
creating-account = Creating account…
already-have-an-account = Already have an account?
send-reset-link = Send reset link
if-an-account-exists-for-email = If an account exists for { $email }, we have sent it a link to choose a new password. The link is valid for a limited time.
back-to-log-in = Back to log in
sending = Sending…
reset-your-password = Reset your password
reset-link-incomplete = Reset link incomplete
this-address-is-missing-its-reset = This address is missing its reset token. Open the link from the email again, or ask for a new one.
ask-for-a-new-link = Ask for a new link
set-new-password = Set new password
ask-for-a-new-link-below = Ask for a new link below: each link works once and for a limited time.
choose-a-new-password = Choose a new password
set-up-schoolhouse = Set up Schoolhouse
open-the-one-time-setup-link = Open the one-time setup link that the server printed when it started. It contains the token needed to create the first administrator.
go-to-log-in = Go to log in
your-name = Your name
administrator-email = Administrator email
repeat-password = Repeat password
create-administrator = Create administrator
an-administrator-account-already-exists = An administrator account already exists, so this setup link can no longer be used.
usermessage-restart-the-server-to-print = { $userMessage } Restart the server to print a new setup link if no administrator exists yet.
creating = Creating…
login-link-incomplete = Login link incomplete
this-address-is-missing-its-token = This address is missing its token. Copy the whole link again, or log in with your password.
login-link-not-valid = Login link not valid
a-login-link-works-once-and = A login link works once and only for a short time. Ask an administrator for a new one, or log in with your password.
your-provider-account-is-linked-next = Your { $provider } account is linked: next time, just continue with { $provider2 }.
your-provider-account-was-not-linked = Your { $provider } account was not linked: { $value }
at-least-10-characters-a-short = At least 10 characters. A short phrase is easy to remember and hard to guess.
your-account-is-ready-log-in = Your account is ready. Log in to continue.
join-to-enrol-in-courses-buy = Join to enrol in courses, buy from the shop and track your progress.
enter-the-email-address-of-your = Enter the email address of your account and we will send you a link to choose a new password.
your-password-has-been-changed-log = Your password has been changed. Log in with the new one.
you-will-be-logged-out-everywhere = You will be logged out everywhere once it is changed.
at-least-10-characters-you-can = At least 10 characters. You can turn on two-factor authentication afterwards.
the-administrator-account-was-created-lo = The administrator account was created. Log in to continue.
create-the-first-administrator-account-t = Create the first administrator account. This link works once.
please-try-again = please try again

## js/pages/cart.js

your-cart-is-empty = Your cart is empty.
courses-and-products-you-add-appear = Courses and products you add appear here.
browse-the-catalogue = Browse the catalogue
qty-quantity = Qty { $quantity }
quantity = Quantity
amount-each = { $amount } each
label-was-removed-from-your-cart = { $label } was removed from your cart.
summary = Summary
log-in-to-check-out = Log in to check out
your-cart-is-kept-in-this = Your cart is kept in this browser and moves into your account when you sign in. Tax and shipping are worked out at checkout.
your-cart = Your cart
quantity-of-name-set-to-quantity = Quantity of { $name } set to { $quantity }.
name-was-removed-from-your-cart = { $name } was removed from your cart.
qty-1 = Qty 1
no-longer-available = No longer available
remove-name = Remove { $name }
go-to-checkout = Go to checkout
tax-and-shipping-are-final-at = Tax and shipping are final at checkout, once your address is known.
loading-your-cart = Loading your cart…
an-item-no-longer-for-sale = An item no longer for sale
includes-tax = Includes tax
enter-a-whole-number-of-at = Enter a whole number of at least 1.

## js/pages/catalogue.js

min = Min
max = Max
free-courses-only = Free courses only
apply-filters = Apply filters
clear-all = Clear all
filters-and-sorting = Filters and sorting
try-other-words-or-remove-some = Try other words or remove some filters.
clear-filters = Clear filters
published-courses-will-appear-here = Published courses will appear here.
products-for-sale-will-appear-here = Products for sale will appear here.
catalogue = Catalogue
courses-to-learn-at-your-own = Courses to learn at your own pace.
books-kits-and-downloads-from-our = Books, kits and downloads from our shop.
best-match = Best match
newest = Newest
most-popular = Most popular
top-rated = Top rated
price-low-to-high = Price: low to high
price-high-to-low = Price: high to low
title-a-z = Title A–Z
name-a-z = Name A–Z
all-categories = All categories
all-tags = All tags
all-types = All types
course-language = Course language
all-languages = All languages
sort-by = Sort by
tag = Tag
type = Type
search-items = { $kind ->
    [courses] Search courses
   *[products] Search products
}
loading-items = { $kind ->
    [courses] Loading courses…
   *[products] Loading products…
}
items-found = { $kind ->
    [courses] { $count ->
        [one] { $count } course found
       *[other] { $count } courses found
    }
   *[products] { $count ->
        [one] { $count } product found
       *[other] { $count } products found
    }
}
no-items-match-your-search = { $kind ->
    [courses] No courses match your search.
   *[products] No products match your search.
}
no-items-yet = { $kind ->
    [courses] No courses yet.
   *[products] No products yet.
}
items-pages = { $kind ->
    [courses] Course pages
   *[products] Product pages
}
items-results = { $kind ->
    [courses] Course results
   *[products] Product results
}

## js/pages/certificate.js

check-a-certificate = Check a certificate
certificate-number = Certificate number
as-printed-on-the-certificate-for = As printed on the certificate, for example SH-CERT-7F3K-9QXD.
enter-the-number-printed-on-a = Enter the number printed on a certificate to see whether this school issued it and whether it is still valid.
certificate-not-found = Certificate not found
this-school-has-not-issued-a = This school has not issued a certificate numbered { $serial }. Check the number for typing mistakes.
certificate-serial = Certificate { $serial }
valid-certificate = Valid certificate
revoked-certificate = Revoked certificate
this-certificate-was-issued-by-this = This certificate was issued by this school and is valid.
this-certificate-was-issued-by-this-2 = This certificate was issued by this school but was revoked on { $date }. It is no longer valid.
awarded-to = Awarded to
issued = Issued
check-another-certificate = Check another certificate

## js/pages/checkout.js

choose-a-country = Choose a country
not-given-default-tax-rate = Not given (default tax rate)
add-courses-or-products-before-checking = Add courses or products before checking out.
shipping-address = Shipping address
needed-for-value = Needed for { $value }.
full-name = Full name
address-line-1 = Address line 1
address-line-2 = Address line 2
city = City
postal-code = Postal code
country = Country
shipping-method = Shipping method
billing = Billing
billing-country = Billing country
tax-depends-on-the-country-leave = Tax depends on the country; leave it empty to use the default rate.
coupon-code = Coupon code
apply-coupon = Apply coupon
place-order = Place order
back-to-cart = Back to cart
coupon-value-applied-amount = Coupon { $value } applied: { $amount }.
coupon-value-is-valid = Coupon { $value } is valid.
placing-order = Placing order…
order-number-placed = Order { $number } placed.
order-summary = Order summary
totals-are-computed-by-the-shop = Totals are computed by the shop and update as you fill in the form.
stripe-js-did-not-load = Stripe.js did not load.
the-card-form-could-not-be = The card form could not be loaded. Check your connection and try again.
amount-due = Amount due:
this-order-is-value-there-is = This order is { $value }; there is nothing to pay.
see-the-order = See the order
payment-received-thank-you = Payment received. Thank you!
order-number-is-paid = Order { $number } is paid.
go-to-my-courses = Go to My courses
payment-received = Payment received.
your-payment-did-not-go-through = Your payment did not go through.
the-card-was-declined = The card was declined.
no-money-was-taken-you-can = No money was taken. You can try again with another card.
try-again = Try again
preparing-your-payment = Preparing your payment…
how-to-pay = How to pay
pay-at-the-school-office-or = Pay at the school office or by bank transfer.
quote-your-order-number = Quote your order number
and-the-amount = and the amount
payment-instructions-shown = Payment instructions shown.
paypal-did-not-give-a-page = PayPal did not give a page to approve the payment on. Please try again.
taking-you-to-paypal-to-approve = Taking you to PayPal to approve the payment…
continue-to-paypal = Continue to PayPal
card-payments-are-not-available-right = Card payments are not available right now. Please choose another way to pay.
loading-the-card-form = Loading the card form…
pay-amount = Pay { $amount }
card-details = Card details
card = Card
choose-another-way-to-pay = Choose another way to pay
paying = Paying…
the-card-could-not-be-charged = The card could not be charged.
confirming-your-payment = Confirming your payment…
your-payment-is-still-being-confirmed = Your payment is still being confirmed. This page updates when it is; you can also check the order later.
how-would-you-like-to-pay = How would you like to pay?
continue = Continue
no-way-to-pay-is-set = No way to pay is set up on this shop yet. Please contact the school.
discount-coupon-code = Discount ({ $coupon_code })
checkout = Checkout
pay-now-by-credit-or-debit = Pay now by credit or debit card.
pay-with-paypal = Pay with PayPal
you-approve-the-payment-on-paypal = You approve the payment on PayPal and come back here.
pay-at-the-office-or-by = Pay at the office or by bank transfer
your-order-is-confirmed-when-the = Your order is confirmed when the school records your payment.
pay-for-order-number = Pay for order { $number }
your-card-was-declined = Your card was declined. Try another card.
your-card-was-declined-funds = Your card was declined (insufficient funds). Try another card.
coupon-code-error = Coupon code: { $message }.
manual-hold = { $days ->
    [one] We hold your order for { $days } day while your payment is on its way.
   *[other] We hold your order for { $days } days while your payment is on its way.
}
manual-hold-until = { $days ->
    [one] We hold your order for { $days } day (until { $until }) while your payment is on its way.
   *[other] We hold your order for { $days } days (until { $until }) while your payment is on its way.
}
manual-hold-then = The school confirms it when the money arrives and we email you then; if no payment has been recorded by then, the order is cancelled.

## js/pages/common.js

some-items-could-not-go-into = Some items could not go into your cart: { $value }

## js/pages/course.js

no-lessons-yet = No lessons yet.
the-outline-appears-here-once-lessons = The outline appears here once lessons are added.
section-value-2 = Section { $value }
locked = Locked
rating-out-of-5-stars = { $rating } out of 5 stars
loading-reviews = Loading reviews…
show-more-reviews = Show more reviews
loading = Loading…
no-reviews-yet = No reviews yet.
learners-who-take-this-course-can = Learners who take this course can leave a review.
you-completed-this-course = You completed this course.
you-are-enrolled-in-this-course = You are enrolled in this course.
percent-complete = { $percent }% complete
review-the-course = Review the course
continue-learning = Continue learning
start-the-course = Start the course
title-was-added-to-your-cart = { $title } was added to your cart.
enrolling = Enrolling…
go-to-your-cart = Go to your cart
enrol-for-free = Enrol for free
buy-this-course = Buy this course
loading-outline = Loading outline…
breadcrumb = Breadcrumb
no-ratings-yet = No ratings yet
about-this-course = About this course
course-outline = Course outline
reviews = Reviews
enrolment = Enrolment
count-review =
    { $count ->
        [one] { $count } review
       *[other] { $count } reviews
    }
browse-courses = Browse courses
this-course-does-not-exist-or = This course does not exist or is not published.
a-learner-2 = A learner
length = Length

## js/pages/learn.js

p-complete = { $p }% complete
p-complete-done = { $p }% complete · Completed
certificate-name-downloaded = Certificate { $name } downloaded.
your-access-to-this-course-has = Your access to this course has ended.
enrolled-date = Enrolled { $date }
start = Start
download-certificate = Download certificate
you-are-not-enrolled-in-any = You are not enrolled in any course yet.
courses-you-enrol-in-or-buy = Courses you enrol in or buy appear here.
this-lesson-opens-on = This lesson opens on
this-lesson-is-locked = This lesson is locked.
lessons-in-this-course-open-step = Lessons in this course open step by step after you enrol. Come back then!
you-are-not-enrolled-in-this = You are not enrolled in this course.
see-the-course-page = See the course page
lessons-appear-here-once-the-instructor = Lessons appear here once the instructor adds them.
you-completed-this-course-2 = You completed this course!
completed-on-date = Completed on { $date }.
your-certificate-is-ready = Your certificate is ready.
you-completed-this-lesson = You completed this lesson.
complete-and-continue = Complete and continue
mark-as-complete = Mark as complete
lesson-marked-complete = Lesson marked complete.
next-title = Next: { $title } →
your-browser-cannot-play-this-video = Your browser cannot play this video.
download-it = Download it
no-video-yet = No video yet.
the-instructor-has-not-added-the = The instructor has not added the video.
this-lesson-cannot-be-shown-here = This lesson cannot be shown here.
course-outline-count = Course outline · { $count }
value-lesson-value2-of-length = { $value } · lesson { $value2 } of { $length }
question-value-2 = Question { $value }.
your-answer = Your answer
choose-every-answer-that-applies = Choose every answer that applies.
submit-answers = Submit answers
you-have-used-all-your-attempts = You have used all your attempts for this quiz.
please-answer-every-question-count-left = Please answer every question ({ $count } left).
grading = Grading…
correct-points-awarded-points = ✓ Correct ({ $points_awarded }/{ $points })
not-correct-points-awarded-points = ✗ Not correct ({ $points_awarded }/{ $points })
you-passed = You passed!
not-passed-this-time = Not passed this time.
score-score-percent-correct-count-of = Score: { $score_percent }% ({ $correct_count } of { $length } correct). Best score: { $best_score_percent }%.
attempts-used-attempts-used = Attempts used: { $attempts_used }.
attempts-left-left = Attempts left: { $left }.
retake-quiz = Retake quiz
this-quiz-has-no-questions-yet = This quiz has no questions yet.
your-submission = Your submission
handed-in-date = Handed in { $date }
feedback-2 = Feedback:
waiting-for-a-grade = Waiting for a grade
hand-in-again = Hand in again
hand-in-your-work = Hand in your work
link-optional = Link (optional)
a-link-to-your-work-e = A link to your work, e.g. a shared document.
submit-assignment = Submit assignment
your-assignment-was-handed-in = Your assignment was handed in.
submitting = Submitting…
your-rating = Your rating
post-review = Post review
review-this-course = Review this course
count-star = { $count ->
    [one] { $count } star
   *[other] { $count } stars
}
comment = Comment
what-did-you-like-what-could = What did you like? What could be better? (up to 2,000 characters)
update-review = Update review
thank-you-your-review-is-posted = Thank you! Your review is posted.
your-review-is-posted = Your review is posted.
posting = Posting…
count-point =
    { $count ->
        [one] { $count } point
       *[other] { $count } points
    }
count-question =
    { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
this-lesson-is-not-part-of = This lesson is not part of the course.
back-to-the-course = Back to the course
pass-mark-pass-percent = Pass mark: { $pass_percent }%.
any-attempt-passes = Any attempt passes.
attempts-used-of-max-attempts-used = Attempts: { $used } of { $max_attempts } used.
best-score-best = Best score: { $best }%.
write-an-answer-or-give-a = Write an answer or give a link.
grade-score = { $passed ->
    [yes] Grade: { $score } — passed
    [no] Grade: { $score } — not passed yet
   *[unknown] Grade: { $score }
}
you-passed-this-quiz = You passed this quiz. You may retake it to practise.
you-passed-this-quiz-with = You passed this quiz with { $best }%. You may retake it to practise.
pass-mark-score = Pass mark: { $pass_score }.
pass-mark-of-max = Pass mark: { $pass_score } of { $max_score }.
attempts-so-far = { $count ->
    [one] { $count } attempt so far.
   *[other] { $count } attempts so far.
}
course-progress-percent = Course progress: { $percent }%
locked-until = Locked until { $date }

## js/pages/orders.js

your-orders-newest-first = Your orders, newest first
orders-you-place-appear-here = Orders you place appear here.
order-pages = Order pages
refund = Refund
for-value = for { $value }
asked-value = · asked { $value }
where-to-send-them = Where to send them:
reply-to-the-mail-about-this = Reply to the mail about this request to ask the school where to send them.
paid-back-value-banks-take-a = Paid back { $value }; banks take a few days to show it.
note-from-the-school = Note from the school:
amount = Amount:
why-it-is-not-eligible = Why it is not eligible:
notes = Notes:
pay-now = Pay now
every-item-of-this-order-is = Every item of this order is covered by a refund request; follow it under Refund.
nothing-to-do-for-this-order = Nothing to do for this order.
cancel-order-number = Cancel order { $number }?
cancelling = Cancelling…
order-number-was-cancelled = Order { $number } was cancelled.
this-order-is-paid-ask-for = This order is paid: ask for a refund with the form below instead.
ask-for-a-refund = Ask for a refund
reason-2 = Reason
tell-the-school-why-it-helps = Tell the school why; it helps them decide.
request-refund = Request refund
no-history-yet = No history yet.
your-orders = Your orders
your-refund-request-was-received-and = Your refund request was received and waits for the school to review it.
your-refund-was-approved-and-is = Your refund was approved and is being paid back.
your-refund-was-processed-the-money = Your refund was processed. The money is on its way back to you.
your-refund-request-was-not-approved = Your refund request was not approved.
please-send-the-items-back-the = Please send the items back; the refund follows once the school receives them.
the-school-received-your-return-the = The school received your return; the refund follows.
the-refund-could-not-be-paid = The refund could not be paid out yet. The school has been told and will try again.
there-is-no-such-order-in = There is no such order in your account.
your-refund-request-is-being-handled = Your refund request is being handled.

## js/pages/paypal.js

try-again-or-choose-another-way = Try again or choose another way to pay
asking-paypal = Asking PayPal…
payment-received-through-paypal-thank-yo = Payment received through PayPal. Thank you!
you-cancelled-the-payment-at-paypal = You cancelled the payment at PayPal.
paypal-did-not-complete-the-payment = PayPal did not complete the payment.
the-payment-was-declined = The payment was declined.
no-money-was-taken-your-order = No money was taken. Your order is kept for you.
payment-cancelled = Payment cancelled.
payment-declined = Payment declined.
paypal-has-not-confirmed-the-payment = PayPal has not confirmed the payment yet. We will update your order as soon as it does; there is no need to pay again.
completing-your-paypal-payment = Completing your PayPal payment
paypal-payment-cancelled = PayPal payment cancelled

## js/pages/preview.js

continue-with-the-course = Continue with the course
liked-it-the-whole-course-is = Liked it? The whole course is waiting.
back-to-the-course-page = Back to the course page
more-free-previews = More free previews
lesson-is-part-of-the-course = { $type ->
    [video] Videos are part of the full course: enrol to watch them.
    [quiz] Quizzes are part of the full course: enrol to take them.
    [assignment] Assignments are part of the full course: enrol to hand them in.
    [reading] Readings are part of the full course: enrol to read them.
   *[other] This lesson is part of the full course: enrol to take it.
}

## js/pages/product.js

show-image-value-of-length = Show image { $value } of { $length }
add-to-cart = Add to cart
name-was-added-to-your-cart = { $name } was added to your cart.
added-to-your-cart = Added to your cart.
view-cart = View cart
purchase = Purchase
this-product-does-not-exist-or = This product does not exist or is no longer for sale.
browse-products = Browse products
physical-item-shipped = Physical item (shipped)
digital-download = Digital download
in-stock = In stock

## js/pages/signin-providers.js

continue-with-name = Continue with { $name }
or-use-your-email-and-password = or use your email and password
no-provider-is-linked-use-continue = No provider is linked. Use "Continue with ..." on the login page to link one.
unlink = Unlink
unlink-provider-email = Unlink { $provider } ({ $email })
unlinking = Unlinking…
provider-was-unlinked = { $provider } was unlinked.
provider-is-no-longer-linked = { $provider } is no longer linked.
accounts-of-this-email-domain-may = Accounts of this email domain may not sign in here. Use your school account, or ask the school.
there-is-no-account-with-this = There is no account with this email yet, and new accounts cannot be created with this provider. Ask the school for an account.
the-provider-has-not-verified-your = The provider has not verified your email address. Verify it with the provider first, then try again.
this-account-is-disabled-contact-the = This account is disabled. Contact the school.
the-sign-in-with-the-provider = The sign-in with the provider did not work. Please try again.
that-sign-in-took-too-long = That sign-in took too long or was started in another window. Please try again.
this-is-your-only-way-to = This is your only way to sign in. Set a password ("Forgot your password?" on the login page) or link another provider first.

## js/admin/app.js

dashboard = Dashboard
courses = Courses
products = Products
orders = Orders
refunds = Refunds
coupons = Coupons
users = Users
audit-log = Audit log
error-log = Error log
backups = Backups
settings = Settings
back-to-the-site = Back to the site
go-to-the-admin-home = Go to the admin home
my-courses = My courses
my-products = My products
page-not-found = Page not found
no-access = No access
the-admin-area-is-for-administrators = The admin area is for administrators, instructors and vendors. Your account does not have one of those roles.
admin = Admin
admin-site-name = Schoolhouse Admin
the-tools-for-your-role-are = The tools for your role are not available yet in this version of Schoolhouse.
the-label-section-is-not-available = The { $label } section is not available to your role.
not-available = Not available
the-label-section-is-not-available-2 = The { $label } section is not available on this server yet.
there-is-no-admin-page-at = There is no admin page at this address.

## js/admin/backups.js

value-gb = { $value } GB
value-mb = { $value } MB
value-kb = { $value } kB
n-b = { $n } B
verified = Verified
failed-verification = Failed verification
not-verified = Not verified
preparing = Preparing…
last-backup = Last backup
never = Never
more-than-two-days-old = More than two days old.
last-verification = Last verification
download = Download
download-name = Download { $name }
no-backups-yet = No backups yet.
take-the-first-one-now-the = Take the first one now; the server keeps serving while it runs.
back-up-now = Back up now
backing-up = Backing up…
backup-finished = Backup finished.
loading-backups = Loading backups…
check = Check
archive = Archive
created = Created
size = Size
archives-hold-the-database-media-and = Archives hold the database, media and secrets: store downloads as safely as the server.
backup-name-written = Backup { $name } written.
backup-name-written-and-verified = Backup { $name } written and verified.

## js/admin/common.js

apply = Apply
list-count-order = { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
list-loading-order = Loading orders…
list-empty-order = No orders yet.
list-pages-order = Order pages
list-count-coupon = { $count ->
    [one] { $count } coupon
   *[other] { $count } coupons
}
list-loading-coupon = Loading coupons…
list-empty-coupon = No coupons yet.
list-pages-coupon = Coupon pages
list-count-product = { $count ->
    [one] { $count } product
   *[other] { $count } products
}
list-loading-product = Loading products…
list-empty-product = No products yet.
list-pages-product = Product pages
list-count-refund-request = { $count ->
    [one] { $count } refund request
   *[other] { $count } refund requests
}
list-loading-refund-request = Loading refund requests…
list-empty-refund-request = No refund requests yet.
list-pages-refund-request = Refund request pages
list-count-learner = { $count ->
    [one] { $count } learner
   *[other] { $count } learners
}
list-loading-learner = Loading learners…
list-empty-learner = No learners yet.
list-pages-learner = Learner pages
list-count-submission = { $count ->
    [one] { $count } submission
   *[other] { $count } submissions
}
list-loading-submission = Loading submissions…
list-empty-submission = No submissions yet.
list-pages-submission = Submission pages
list-count-entry = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
list-loading-entry = Loading entries…
list-empty-entry = No entries yet.
list-pages-entry = Entry pages
list-count-error = { $count ->
    [one] { $count } error
   *[other] { $count } errors
}
list-loading-error = Loading errors…
list-empty-error = No errors yet.
list-pages-error = Error pages
list-count-course = { $count ->
    [one] { $count } course
   *[other] { $count } courses
}
list-loading-course = Loading courses…
list-empty-course = No courses yet.
list-pages-course = Course pages
list-count-bundle = { $count ->
    [one] { $count } bundle
   *[other] { $count } bundles
}
list-loading-bundle = Loading bundles…
list-count-document = { $count ->
    [one] { $count } document
   *[other] { $count } documents
}
list-loading-document = Loading invoices and credit notes…
list-pages-document = Invoice and credit note pages
logs-no-match-entry = No entries match.
logs-none-entry = No entries recorded.
logs-filter-entry = Filter the audit log
logs-no-match-error = No errors match.
logs-none-error = No errors recorded.
logs-filter-error = Filter the error log

## js/admin/coupons.js

percent-off = { $percent }% off
amount-off = { $amount } off
expired = Expired
from-date = From { $date }
used-up = Used up
until-date = Until { $date }
active = Active
new-coupon = New coupon
actions = Actions
delete = Delete
delete-coupon-code = Delete coupon { $code }
delete-the-coupon-code-orders-that = Delete the coupon { $code }? Orders that used it keep their discount.
coupon-code-deleted = Coupon { $code } deleted.
orders-from-amount = Orders from { $amount }
coupon = Coupon
coupon-not-found = Coupon not found
code = Code
customers-type-it-case-does-not = Customers type it; case does not matter.
discount-type = Discount type
percentage = Percentage
fixed-amount-currency = Fixed amount ({ $currency })
percent-off-2 = Percent off
amount-off-currency = Amount off ({ $currency })
minimum-subtotal-currency = Minimum subtotal ({ $currency })
optional = Optional.
applies-to = Applies to
item-ids = Item ids
for-listed-items-only-one-product = For “Listed items only”: one product or course id per line.
starts = Starts
optional-your-local-time = Optional; your local time.
expires = Expires
total-uses = Total uses
empty-unlimited = Empty: unlimited.
uses-per-customer = Uses per customer
create-coupon = Create coupon
save-coupon = Save coupon
cancel = Cancel
must-be-an-amount-such-as = must be an amount such as { $amount }
please-correct-the-highlighted-fields = Please correct the highlighted fields.
coupon-code-created = Coupon { $code } created.
the-coupon-was-saved = The coupon was saved.
saved = Saved.
saving = Saving…
everything = Everything
products-only = Products only
courses-only = Courses only
listed-items-only = Listed items only
no-coupons-yet = No coupons yet.
create-a-code-for-a-percentage = Create a code for a percentage or a fixed amount off.
discount = Discount
used = Used
validity = Validity
discount-codes-customers-enter-at-checko = Discount codes customers enter at checkout.
coupon-code-2 = Coupon { $code }
coupon-used-times = { $count ->
    [one] Used once in paid orders.
   *[other] Used { $count } times in paid orders.
}

## js/admin/courses.js

new-course = New course
by-name = by { $name }
search = Search
title-or-description = Title or description
status = Status
category = Category
no-category = No category
tags = Tags
current-cover-image = Current cover image
remove-cover = Remove cover
uploading-name = Uploading { $name }…
name-uploaded-save-the-details-to = { $name } uploaded. Save the details to use it.
the-upload-failed = The upload failed.
the-cover-is-removed-when-you = The cover is removed when you save the details.
cover-image = Cover image
shown-on-the-course-card-and = Shown on the course card and page. JPEG, PNG, WebP or GIF; a wide picture (16:9) looks best.
course-details = Course details
title = Title
description = Description
markdown-bold-italic-lists-links = Markdown: **bold**, *italic*, lists, links.
price-currency = Price ({ $currency })
zero-makes-the-course-free = 0 makes the course free.
level = Level
slug = Slug
the-address-of-the-course-page = The address of the course page.
save-details = Save details
create-course = Create course
check-the-price = Check the price.
course-title-created = Course “{ $title }” created.
course = Course
course-not-found = Course not found
could-not-load-the-course = Could not load the course
unpublish = Unpublish
publish = Publish
this-course-cannot-be-published-yet = This course cannot be published yet.
this-course-has-value-learners-decide = This course has { $value }. Learners decide from the course page: publish it anyway?
the-course-is-published-it-is = The course is published: it is listed in the catalogue.
the-course-is-a-draft-again = The course is a draft again: it is no longer listed.
course-sections = Course sections
preview = Preview
the-course-page-opens-in-a = the course page (opens in a new tab)
the-course-details-were-saved = The course details were saved.
title-details = { $title } · Details
count-lesson =
    { $count ->
        [one] { $count } lesson
       *[other] { $count } lessons
    }
count-learner =
    { $count ->
        [one] { $count } learner
       *[other] { $count } learners
    }
price = Price
lessons = Lessons
any-status = Any status
draft = Draft
published = Published
archived = Archived
all-levels = All levels
beginner = Beginner
intermediate = Intermediate
advanced = Advanced
no-courses-match = No courses match.
try-other-words-or-another-status = Try other words or another status.
no-courses-yet = No courses yet.
create-your-first-course-then-add = Create your first course, then add sections and lessons.
learners = Learners
updated = Updated
filter-courses = Filter courses
every-course-in-the-school = Every course in the school.
courses-you-teach-build-their-lessons = Courses you teach: build their lessons, follow your learners, grade assignments.
start-with-a-title-add-sections = Start with a title; add sections and lessons next. New courses are drafts until you publish them.
content = Content
details = Details
grading-2 = Grading
it-has-no-lessons = It has no lessons: add at least one under Content.
missing-description = no description
missing-cover-image = no cover image

## js/admin/dashboard.js

net-revenue-gross-refunds = Net revenue (gross − refunds)
this-report-is-not-available-on = This report is not available on this server yet.
report-period = Report period
from = From
to = To
group-by = Group by
show = Show
revenue-over-time = Revenue over time
show-the-figures-as-a-table = Show the figures as a table
no-sales-in-this-period = No sales in this period.
no-products-sold-in-this-period = No products sold in this period.
no-enrolments-in-this-period = No enrolments in this period.
accounts = Accounts:
top-courses = Top courses
top-products = Top products
active-users = Active users
product = Product
highest-amount-on-value = ; highest { $amount } on { $value }.
no-sales-in-this-range = ; no sales in this range.
day = Day
week = Week
month = Month
net-revenue = Net revenue
gross-minus-refunds = Gross minus refunds
gross-sales = Gross sales
average-amount = Average { $amount }
net-revenue-per-interval = { $interval ->
    [week] Net revenue per week
    [month] Net revenue per month
   *[day] Net revenue per day
}
revenue-per-period = Revenue per period
period = Period
gross = Gross
net = Net
units = Units
revenue = Revenue
enrolments = Enrolments
completion = Completion
rating = Rating
active-today = Active today
active-this-week = Active this week
active-this-month = Active this month
sales-and-learning-from-date-to = Sales and learning from { $date } to { $date2 }.
net-revenue-over-periods = Net revenue { $amount } over { $interval ->
    [week] { $count ->
        [one] { $count } week
       *[other] { $count } weeks
    }
    [month] { $count ->
        [one] { $count } month
       *[other] { $count } months
    }
   *[day] { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
}
chart-bar-title = { $label }: net { $net }, gross { $gross }, refunds { $refunds }, { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
chart-refund-title = { $label }: refunds { $refunds }
accounts-of-role = { $role ->
    [admin] { $count ->
        [one] { $count } administrator
       *[other] { $count } administrators
    }
    [instructor] { $count ->
        [one] { $count } instructor
       *[other] { $count } instructors
    }
    [vendor] { $count ->
        [one] { $count } vendor
       *[other] { $count } vendors
    }
   *[student] { $count ->
        [one] { $count } student
       *[other] { $count } students
    }
}

## js/admin/learners.js

value-percent-complete = { $value }: { $percent }% complete
passed = Passed
title-learners = { $title } · Learners
grade-learner-name-s-submission-for = Grade { $learner_name }’s submission for { $value }
grade-submission-id = Grade submission { $id }
score-0-max = Score (0–{ $max })
score = Score
feedback = Feedback
update-grade = Update grade
save-grade = Save grade
is-required = is required
submitted-date-by = Submitted { $date } by
a-file-is-attached-to-this = A file is attached to this submission.
submissions = Submissions
to-grade = To grade
graded = Graded
title-grading = { $title } · Grading
assignment = Assignment
no-learners-yet = No learners yet.
learners-appear-here-when-they-enrol = Learners appear here when they enrol.
publish-the-course-so-learners-can = Publish the course so learners can enrol.
learners-and-their-progress = Learners and their progress
learner = Learner
progress = Progress
time-spent = Time spent
quizzes = Quizzes
enrolled = Enrolled
the-assignment = the assignment
nothing-to-grade = Nothing to grade.
new-assignment-submissions-appear-here = New assignment submissions appear here.
no-graded-submissions-yet = No graded submissions yet.
enter-a-score = Enter a score.
a-learner = a learner
quiz-best-attempts = { $count ->
    [one] { $best }% best, { $count } attempt
   *[other] { $best }% best, { $count } attempts
}
graded-score = { $passed ->
    [yes] Graded: { $score }, passed.
    [no] Graded: { $score }, not passed.
   *[unknown] Graded: { $score }.
}
score-passed = { $passed ->
    [yes] Score { $score } (passed)
   *[no] Score { $score } (not passed)
}

## js/admin/lesson.js

option-value-is-correct = Option { $value } is correct
option-value-of-question-value2 = Option { $value } of question { $value2 }
option-value = Option { $value }
remove-option-value-of-question-value2 = Remove option { $value } of question { $value2 }
options-mark-the-correct-one = Options (mark the correct one)
options-tick-every-correct-one = Options (tick every correct one)
add-option = + Add option
to-question-value = to question { $value }
correct-answer = Correct answer
true = True
false = False
accepted-answers = Accepted answers
one-per-line-matching-ignores-case = One per line. Matching ignores case and surrounding spaces.
question-value = Question { $value }
move-question-value-up = Move question { $value } up
move-question-value-down = Move question { $value } down
remove = Remove
remove-question-value = Remove question { $value }
kind = Kind
points = Points
question-text = Question text
add-question = + Add question
questions = Questions
lesson = Lesson
lesson-not-found = Lesson not found
new-lesson = New lesson
add-a-section-first = Add a section first
lessons-live-in-sections-add-a = Lessons live in sections. Add a section to the course, then add lessons to it.
go-to-the-course-content = Go to the course content
lesson-type = Lesson type
changing-the-type-replaces-the-lesson = Changing the type replaces the lesson content.
an-uploaded-video-is-attached = An uploaded video is attached.
no-file-uploaded = No file uploaded.
upload-finished = Upload finished.
video = Video
video-url = Video URL
an-external-http-s-address-or = An external http(s) address, or upload a file below instead.
or-upload-a-video-file = Or upload a video file
text-markdown = Text (Markdown)
heading-bold-italic-lists-link-https = # Heading, **bold**, *italic*, - lists, [link](https://…)
show-preview = Show preview
hide-preview = Hide preview
reading = Reading
quiz = Quiz
pass-mark = Pass mark (%)
empty-70 = Empty: 70.
attempts-allowed = Attempts allowed
leave-empty-for-unlimited = Leave empty for unlimited.
instructions = Instructions
what-the-learner-hands-in-and = What the learner hands in and how it is graded (Markdown).
maximum-score = Maximum score
empty-100 = Empty: 100.
passing-score = Passing score
empty-half-the-maximum-score = Empty: half the maximum score.
section = Section
duration-minutes = Duration (minutes)
opens-after-days = Opens after (days)
drip-days-after-enrolment-0-opens = Drip: days after enrolment. 0 opens at once.
free-preview-anyone-can-open-it = Free preview (anyone can open it)
required-for-completion = Required for completion
create-lesson = Create lesson
save-lesson = Save lesson
lesson-title-created = Lesson “{ $title }” created.
lesson-title-saved = Lesson “{ $title }” saved.
preview-as-learner = Preview as learner
opens-in-a-new-tab = (opens in a new tab)
single-choice = Single choice
multiple-choice = Multiple choice
true-or-false = True or false
short-text = Short text
uploaded-value = Uploaded: { $value }
edit-lesson-title = Edit lesson: { $title }

## js/admin/logs.js

actor = Actor
user-id = User id
action = Action
login-failed-or-order = login.failed or order.*
target-type = Target type
e-g-order-refund-user = e.g. order, refund, user
target = Target
id = Id
source = Source
http-status = HTTP { $status }
try-other-filters = Try other filters.
time = Time
ip = IP
any-source = Any source
requests = Requests
background-jobs = Background jobs
message = Message
request-id = Request id
audit-log-lead = Who did what and when. Entries can never be changed or deleted.
error-log-lead = Server errors and failed background jobs (mail, payments, backups).

## js/admin/orders.js

tracking-tracking-number = Tracking { $tracking_number }
number-or-email = Number or email
sh-000123-or-name-example-com = SH-000123 or name@example.com
confirm-payment = Confirm payment
the-buyer-chose-to-pay-at = The buyer chose to pay at the office or by bank transfer. Once the money has arrived, record it: the order is paid and the buyer gets access.
record-payment-received = Record payment received
the-buyer-has-not-chosen-how = The buyer has not chosen how to pay online. If they paid at the office or by bank transfer, record it here: the order is paid and the buyer gets access.
recording = Recording…
payments = Payments
payment = Payment
refunded-amount = Refunded { $amount }
paypal-order = PayPal order
reference = Reference
paypal-capture = PayPal capture
started-date = Started { $date }
completed-date = · completed { $date }
no-payment-has-been-started-for = No payment has been started for this order.
change-the-order-status = Change the order status
new-status = New status
tracking-number = Tracking number
sent-to-the-customer-in-the = Sent to the customer in the shipping mail.
note-optional = Note (optional)
change-status = Change status
cancel-order-number-a-paid-order = Cancel order { $number }? A paid order is refunded.
order = Order
order-not-found = Order not found
could-not-load-the-order = Could not load the order
order-number-is-now-value = Order { $number } is now { $value }.
order-status = Order { $status }.
items = Items
physical = Physical
digital = Digital
total = Total
history = History
no-status-changes-yet = No status changes yet.
tracking-number-2 = Tracking number:
paid-date = Paid { $date }
no-status-change-is-possible-from = No status change is possible from here.
customer = Customer
ship-to = Ship to
shipping-method-value = Shipping method: { $value }
coupon-coupon-code = Coupon: { $coupon_code }
order-number = Order { $number }
subtotal = Subtotal
no-orders-yet = No orders yet.
cancel-order = Cancel order
shipping = Shipping
mark-as-shipped = Mark as shipped
mark-as-delivered = Mark as delivered
mark-as-fulfilled = Mark as fulfilled
no-orders-match = No orders match.
placed = Placed
filter-orders = Filter orders
every-order-in-the-shop = Every order in the shop.
orders-that-hold-your-products = Orders that hold your products.
card-stripe = Card (Stripe)
paypal = PayPal
manual = Manual
order-items = Order items
item = Item
qty = Qty
unit-price = Unit price
placed-date = Placed { $date }
tax = Tax
record-payment-received-ask = Record that { $amount } was received for order { $number }?
record-payment-office-ask = Record that { $amount } for order { $number } was paid at the office or by bank transfer?

## js/admin/products.js

unlimited = Unlimited
out-of-stock = Out of stock
new-product = New product
sku-sku = SKU { $sku }
name-or-description = Name or description
label-main-image = { $label } (main image)
move-label-earlier = Move { $label } earlier
move-label-later = Move { $label } later
remove-label = Remove { $label }
images = Images
add-images-jpeg-png-webp = Add images (JPEG, PNG, WebP)
product-not-found = Product not found
a-download-file-is-attached = A download file is attached.
no-file-attached-yet = No file attached yet.
attached-value-save-to-keep-it = Attached: { $value }. Save to keep it.
file-buyers-download = File buyers download
stock = Stock
units-you-can-ship-now = Units you can ship now.
name = Name
physical-shipped = Physical (shipped)
digital-downloaded = Digital (downloaded)
sku = SKU
markdown = Markdown.
create-product = Create product
save-product = Save product
view-in-the-shop = View in the shop
product-name-created = Product “{ $name }” created.
the-product-was-saved = The product was saved.
delete-name-a-product-that-is = Delete “{ $name }”? A product that is in any order is archived instead.
product-deleted-or-archived = Product deleted or archived.
no-products-match = No products match.
try-other-words-or-filters = Try other words or filters.
no-products-yet = No products yet.
add-your-first-product-a-physical = Add your first product: a physical item with stock, or a digital download.
sold = Sold
filter-products = Filter products
any-kind = Any kind
goods-in-the-shop-stock-prices = Goods in the shop: stock, prices, images and downloads.
image-value = Image { $value }
new-products-start-as-drafts-unless = New products start as drafts unless you publish them.

## js/admin/refunds.js

eligible-under-the-refund-policy = ✓ Eligible under the refund policy
not-eligible-under-the-refund-policy = ✗ Not eligible under the refund policy
the-goods-must-be-returned-before = The goods must be returned before the money is.
decide-refund-for-order-value = Decide refund for order { $value }
note = Note
required-to-reject-the-customer-sees = Required to reject; the customer sees it.
is-required-to-reject = is required to reject
return-received = Return received
return-recorded-the-goods-are-back = Return recorded; the goods are back in stock.
retry-refund = Retry refund
approve-and-refund = Approve and refund
send-the-refund-of-what-again = Send the refund of { $what } again?
approve-and-pay-back-what-this = Approve and pay back { $what }? This cannot be undone.
reject = Reject
for-order = for order
requested-date = Requested { $date }
reason = Reason:
decision-note = Decision note:
filter-refunds = Filter refunds
decide-refund-requests-the-policy-check = Decide refund requests. The policy check is shown with each one; you may still approve by hand.
say-why-the-refund-is-rejected = Say why the refund is rejected.
nothing-needs-you = Nothing needs you.
new-requests-returns-to-receive-and = New requests, returns to receive and payouts to retry appear here.
refund-now-status = Refund updated. Status: { $status }.
amount-for-order = { $amount } for order { $number }
no-refund-requests-here = No refund requests here.
needs-action = Needs action

## js/admin/settings.js

set-hidden = Set (hidden)
not-in-the-config = Not in the config
server = Server
database = Database
sign-in = Sign-in
store = Store
mail = Mail
media = Media
rate-limits = Rate limits
monitoring = Monitoring
general = General
title-settings = { $title } settings
setting = Setting
value = Value
environment-variable = Environment variable
what-this-server-runs-with-the = What this server runs with: the config file, environment variables and defaults together. Change a value in the config file (or its environment variable) and restart the server. The command schoolhouse config check prints the same.

## js/admin/structure.js

move-kind-name-up = { $kind ->
    [section] Move section “{ $name }” up
   *[lesson] Move lesson “{ $name }” up
}
move-kind-name-down = { $kind ->
    [section] Move section “{ $name }” down
   *[lesson] Move lesson “{ $name }” down
}
delete-lesson-title = Delete lesson “{ $title }”
delete-the-lesson-title-learners-progres = Delete the lesson “{ $title }”? Learners' progress on it is lost.
lesson-title-deleted = Lesson “{ $title }” deleted.
free-preview = Free preview
optional-2 = Optional
opens-day-available-after-days = Opens day { $available_after_days }
preview-lesson-title-as-a-learner = Preview lesson “{ $title }” as a learner (opens in a new tab)
section-value = Section { $value }:
rename = Rename
rename-section-title = Rename section “{ $title }”
rename-section-title-2 = Rename section { $title }
section-title = Section title
save = Save
section-renamed = Section renamed.
delete-section-title = Delete section “{ $title }”
delete-the-section-title = Delete the section “{ $title }”?
section-title-deleted = Section “{ $title }” deleted.
no-lessons-in-this-section-yet = No lessons in this section yet.
add-lesson = + Add lesson
to-section-title = to section “{ $title }”
add-a-section = Add a section
new-section-title = New section title
e-g-getting-started = e.g. Getting started
add-section = Add section
adding = Adding…
section-title-added = Section “{ $title }” added.
this-course-has-no-sections-yet = This course has no sections yet.
add-a-section-then-add-lessons = Add a section, then add lessons to it: videos, readings, quizzes or assignments.
loading-the-course-outline = Loading the course outline…
title-content = { $title } · Content
give-the-section-a-title = Give the section a title.
lesson-moved = { $direction ->
    [up] “{ $title }” moved up to position { $position }.
   *[down] “{ $title }” moved down to position { $position }.
}
section-moved = { $direction ->
    [up] Section “{ $title }” moved up to position { $position }.
   *[down] Section “{ $title }” moved down to position { $position }.
}
delete-the-section-title-and-its = { $n ->
    [one] Delete the section “{ $title }” and its lesson?
   *[other] Delete the section “{ $title }” and its { $n } lessons?
}

## js/admin/users.js

on = On
off = Off
search-users = Search users
name-or-email = Name or email
role = Role
all-roles = All roles
role-of-name = Role of { $name }
you-cannot-change-your-own-role = You cannot change your own role
save-role = Save role
name-is-now-role = { $name } is now { $role }.
enable = Enable
disable = Disable
disable-name-they-are-logged-out = Disable { $name }? They are logged out at once and cannot log in until enabled again.
you = You
disabled = Disabled
loading-users = Loading users…
no-users-match = No users match.
try-another-name-email-or-role = Try another name, email or role.
users-table = Users table
user = User
mfa = MFA
joined = Joined
user-pages = User pages
find-people-change-their-role-or = Find people, change their role, or disable an account.
sign-in-providers = Sign-in providers
count-user =
    { $count ->
        [one] { $count } user
       *[other] { $count } users
    }
instructor = Instructor
vendor = Vendor
student = Student
saved-2 = Saved
none-password-only = None (password only)
make-name-role = Give { $name } the role “{ $role }”? What they may see and change follows the new role from their next click.
name-was-enabled = { $name } was enabled.
name-was-disabled = { $name } was disabled.
bundle = Bundle
bundles = Bundles


## js/admin/bundles.js

no-bundles-yet = No bundles yet.
sell-several-courses-together-at-one = Sell several courses together at one price.
new-bundle = New bundle
delete-bundle-name = Delete bundle { $name }
delete-bundle-name-confirm = Delete the bundle { $name }? A bundle already ordered is archived instead.
bundle-name-removed = Bundle { $name } removed.
saves-amount = saves { $amount }
several-courses-sold-together-at-one = Several courses sold together at one price.
bundle-not-found = Bundle not found
courses-in-the-bundle = Courses in the bundle
publish-a-course-first-only-published = Publish a course first: only published courses can be bundled.
create-bundle = Create bundle
save-bundle = Save bundle
bundle-name-created = Bundle { $name } created.
the-bundle-was-saved = The bundle was saved.
bundle-name = Bundle { $name }
bundle-products-included = Products included
bundle-product-shipped = shipped to you
bundle-product-download = to download from your order
bundle-no-products-to-include = No published products to include. Products are optional.
bundle-includes-products = Includes { $names }

## js/admin/invoices.js

invoices-and-credit-notes = Invoices and credit notes
invoices = Invoices
credit-notes = Credit notes
downloading = Downloading…
name-downloaded = { $name } downloaded.
no-invoices-here = No invoices here.
every-paid-order-gets-an-invoice = Every paid order gets an invoice, every refund a credit note.
number = Number
pdf = PDF
download-number = Download { $number }
document-kind = { $kind ->
    [invoice] Invoice
   *[credit_note] Credit note
}
filter-invoices = Filter invoices
issued-from = Issued from
issued-to = Issued to
download-period-zip = Download period (ZIP)
issued-documents-never-change = Issued documents never change: a correction is a credit note. The ZIP holds every document issued between the dates chosen (the last 30 days when none).

## js/admin/tax.js

domestic = Domestic
oss-other-member-state = OSS (other member state)
reverse-charge = Reverse charge
outside-the-eu = Outside the EU
tax-row-kind = { $kind ->
    [goods] Goods
    [shipping] Shipping
   *[other] { $kind }
}
tax-per-country-scheme-and-rate = Tax per country, scheme and rate
scheme = Scheme
rate = Rate
sales = Sales
tax-on-sales = Tax on sales
tax-refunded = Tax refunded
net-taxable = Net taxable
tax-due = Tax due
oss-return-quarter = OSS return { $quarter }
member-state-of-consumption = Member state of consumption
taxable-amount = Taxable amount
vat = VAT
oss-quarter = OSS quarter
paid-orders-and-processed-refunds-appear = Paid orders and processed refunds appear here.
nothing-to-declare-through-oss-this = Nothing to declare through OSS this quarter.
sales-to-consumers-in-other-member = Sales to consumers in other member states appear here.
sales-refunds-and-tax-due-per = Sales, refunds and tax due per country and rate; the quarterly EU OSS return.
tax-report = Tax report
download-csv = Download CSV
download-oss-csv = Download OSS CSV

## js/pages/bundles.js

count-course = { $count ->
    [one] { $count } course
   *[other] { $count } courses
}
save-amount = — save { $amount }
search-bundles = Search bundles
several-courses-together-for-less-than = Several courses together, for less than one by one.
no-bundles-found = No bundles found.
try-other-words = Try other words.
none-are-for-sale-yet = None are for sale yet.
this-bundle-does-not-exist-or = This bundle does not exist or is no longer for sale.
browse-bundles = Browse bundles
courses-included = Courses included
amount-less-than-the-courses-one-by-one = { $amount } less than the courses one by one

## js/pages/checkout.js

vat-number-businesses-optional = VAT number (businesses, optional)
eu-vat-is-charged-at-the = EU VAT is charged at the rate of the country you live in. Businesses in another EU country with a valid VAT number pay no VAT here (reverse charge).

## js/pages/orders.js

invoice-and-credit-notes = Invoice and credit notes
download-pdf = Download PDF

## captions

transcript = Transcript
transcript-hint = What is said in the video, in plain text or Markdown; learners read it under the player.
captions = Captions
caption-why = Captions let learners who cannot hear the video follow it: one WebVTT file (.vtt) per language. Uploading a language again replaces its file.
caption-save-first = Save the lesson as a video to add captions (WebVTT files) per language.
caption-none-yet = No captions yet.
caption-view-file = View file
caption-remove = Remove
caption-removing = Removing…
caption-label-removed = Captions “{ $label }” removed.
caption-add = Add captions
caption-language = Language
caption-language-hint = A language code such as en, fr or pt-BR.
caption-label = Label shown in the player
caption-label-placeholder = Français
caption-file = WebVTT file
caption-upload = Upload captions
caption-uploading = Uploading…
caption-label-saved = Captions “{ $label }” saved.
caption-missing-chip = No captions
caption-published-videos-without = { $count ->
        [one] This course is published, and one video lesson has no captions: learners who cannot hear it cannot follow it.
       *[other] This course is published, and { $count } video lessons have no captions: learners who cannot hear them cannot follow them.
    }
caption-videos-without = { $count ->
        [one] no captions on one video lesson
       *[other] no captions on { $count } video lessons
    }
## memberships UI

memberships = Memberships
my-membership = My membership
membership-nav = Membership
membership-plans = Membership plans
membership-plans-lead = Every course a plan covers is yours for as long as it is paid. Cancel any time.
membership-no-plans = No membership plans yet.
membership-price-per = { $amount } a { $interval ->
    [year] year
   *[other] month
}
membership-instalments = { $count } × { $amount }, { $interval ->
    [year] yearly
   *[other] monthly
}
membership-trial-days = { $count ->
    [one] { $count }-day free trial
   *[other] { $count }-day free trial
}
membership-covers-all = Every course
membership-covers-category = Every course in { $category }
membership-covers-courses = { $count ->
    [one] This course:
   *[other] These { $count } courses:
}
membership-plan-owns = Paid in instalments; the course is yours for good after the last one:
membership-plan-owns-bundle = The { $bundle } bundle, paid in instalments; each of its courses is yours for good after the last one:
membership-plan-bundle-name = Bundle: { $bundle }
membership-choose-plan = Choose { $name }
membership-you-have-this-plan = You have this plan.
membership-subscribe-to = Subscribe to { $name }
membership-cards-off = Card payments are not available here right now. Ask the school how to join.
membership-charge-now = You pay { $amount } today, then every { $interval ->
    [year] year
   *[other] month
} until you cancel.
membership-charge-after-trial = Free for { $count } days, then { $amount } a { $interval ->
    [year] year
   *[other] month
} until you cancel.
membership-charge-instalments = You pay { $amount } today, then every { $interval ->
    [year] year
   *[other] month
} until { $count } instalments are paid.
membership-cancel-any-time = You can cancel from My membership at any time; access stays until the end of the period paid.
membership-subscribe = Subscribe
membership-subscribing = Subscribing…
membership-started = Your membership has started.
membership-welcome = Welcome! Your membership is active.
membership-welcome-trial = Welcome! Your free trial has started.
membership-declined = Your card was declined. Nothing was charged and no membership was started. Try another card.
membership-status-trialing = Free trial
membership-status-active = Active
membership-status-past-due = Payment overdue
membership-status-paused = Paused
membership-status-cancelled = Cancelled
membership-status-expired = Ended
membership-date = Date
membership-amount = Amount
membership-invoices = Invoices
membership-invoices-of = Invoices of { $name }
membership-no-invoices = No invoices yet.
membership-invoice-paid = Paid
membership-invoice-failed = Payment failed
membership-next-charge = Next charge: { $amount } on { $date }.
membership-ends-on = Cancelled: your membership ends on { $date }. Your courses stay open until then.
membership-ended-on = This membership ended on { $date }.
membership-paid-off = Every instalment is paid: the course is yours.
membership-comp = Given by the school, free of charge.
membership-manual-until = Paid until { $date } (at the school).
membership-instalments-paid = Instalments paid: { $paid } of { $count }.
membership-past-due = The payment due on { $date } has not been received; your courses stay open for a few days meanwhile. Contact the school to pay.
membership-past-due-card = Your last payment failed: update your card to keep access.
membership-past-due-since = The payment on { $date } was declined. Your courses stay open for a few days meanwhile; Stripe also tries your card again.
membership-update-card = Update card
membership-card-title = New card for { $name }
membership-card-lead = The new card is used for the next charges; nothing is charged now.
membership-card-lead-overdue = The overdue payment ({ $amount }) is taken from the new card at once, and your membership is active again.
membership-card-save = Save the card
membership-card-pay = Pay { $amount } with this card
membership-card-saving = Saving the card…
membership-card-keep = Keep the old card
membership-card-saved = Your new card is saved; the next charges use it.
membership-card-paid = Your new card paid the overdue amount: your membership is active again.
membership-paused = This membership is paused: its courses are closed until it resumes.
membership-cancel = Cancel at the end of the period
membership-cancel-confirm = Cancel your membership? It stays active until { $date }, and nothing more is charged.
membership-cancelled-notice = Your membership is cancelled. It ends on { $date }; your courses stay open until then.
membership-resume = Keep my membership
membership-resume-confirm = Keep your membership? It renews at the end of the period as before.
membership-resumed-notice = Your membership continues; it renews as before.
membership-switch-to = Switch to { $name } ({ $price })
membership-switch-confirm = Switch to { $name } ({ $price })? Stripe prorates: the unused time of this period is credited against the new price.
membership-switch-prorates = Switching between monthly and yearly is prorated by Stripe: you are credited for the time not used.
membership-switched-notice = You are now on { $name }.
membership-none = You have no membership.
membership-none-text = A membership opens courses for as long as it is paid.
membership-see-plans = See the membership plans
membership-included = Included in your membership ({ $name }).
membership-or-included = { $count ->
    [one] Or included in the { $name } membership.
   *[other] Or included in { $count } membership plans.
}
membership-or-instalments = Or pay in instalments: { $price }.
membership-admin-lead = Plans, members and recurring revenue.
membership-new-plan = New plan
membership-report = Report
membership-report-period = Report period
membership-from = From
membership-to = To
membership-mrr = Monthly recurring revenue
membership-active-members = Active members
membership-new-members = New members
membership-churned-members = Churned members
membership-recovery = Failed payments recovered
membership-recovered-of = { $recovered } of { $failed }
membership-trial = Trial
membership-covers = Covers
membership-members = Members
membership-member = Member
membership-plan = Plan
membership-period-end = Paid until
membership-gateway = Paid by
membership-gateway-stripe = Card
membership-gateway-manual = At the school (manual)
membership-gateway-comp = Free (comp)
membership-ends-at-period-end = ends at the period's end
membership-filter = Filter members
membership-all-states = All states
membership-no-members = No members yet.
membership-record-period = Record a period paid
membership-record-period-for = Record a period paid for { $email }
membership-record-period-confirm = Record that { $email } paid the next period ({ $price })?
membership-period-recorded = The period was recorded as paid.
membership-cancel-now = Cancel now
membership-cancel-for = Cancel now: the membership of { $email }
membership-cancel-now-confirm = End the membership of { $email } now? Its courses close at once.
membership-cancelled-by-staff = The membership was cancelled.
membership-give = Give a membership
membership-member-email = Member's email
membership-give-button = Give membership
membership-no-such-user = No account has this email.
membership-given = { $email } has the membership now.
membership-interval = Billing period
membership-monthly = Monthly
membership-yearly = Yearly
membership-trial-label = Free trial (days)
membership-cycles-label = Instalments (payment plan)
membership-cycles-hint = Leave empty for a membership. 2 to 60 instalments sell one course (choose it below), owned after the last one.
membership-plan-sells = Sold in instalments
membership-plan-sells-hint = One course (chosen below), or a published bundle: all its courses open at once and are yours after the last instalment.
membership-plan-sells-course = One course
membership-plan-sells-bundle = A bundle: { $bundle }
membership-price-hint = Per period, or per instalment.
membership-scope-category = A category
membership-scope-courses = Chosen courses
membership-category = Category
membership-plan-courses = Courses
membership-switch-plan = Monthly/yearly sibling
membership-switch-plan-hint = The plan members may switch to (Stripe prorates).
membership-create-plan = Create plan
membership-plan-created = Plan { $name } created.
list-count-member = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
list-loading-member = Loading members…
list-pages-member = Member pages

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
