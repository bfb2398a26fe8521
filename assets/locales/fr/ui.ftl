# Les mots de l’interface web en français. Mêmes identifiants que assets/locales/en/ui.ftl ;
# seules les parties à droite du signe = sont traduites ({ $noms } gardés tels quels).
# Les messages sont groupés par le fichier qui les emploie en premier.

## index.html

skip-to-content = Aller au contenu
menu = Menu
main-navigation = Navigation principale
needs-javascript = Schoolhouse a besoin que JavaScript soit activé dans votre navigateur.

## admin/index.html

admin-page-title = Administration · Schoolhouse
admin-sections = Rubriques d’administration
admin-needs-javascript = L’espace d’administration a besoin que JavaScript soit activé dans votre navigateur.

## js/shell.js

cart = Panier
account = Compte
view-site = Voir le site
log-out = Se déconnecter
you-are-logged-out = Vous êtes déconnecté.
sign-up = S’inscrire
cart-badge-items = { $count ->
    [one] , { $count } article
   *[other] , { $count } articles
}
language = Langue
language-changed = La langue a été changée.

## js/app.js

there-is-nothing-at-this-address = Il n’y a rien à cette adresse. La page a peut-être été déplacée, ou le lien contient une faute de frappe.
go-to-the-catalogue = Aller au catalogue

## js/ui.js

free = Gratuit
hours-h-minutes-min = { $hours } h { $minutes } min
hours-h = { $hours } h
value-min = { $value } min
please-wait = Veuillez patienter…
pages = Pages de résultats
page-current-of-pages = Page { $current } sur { $pages }
rated-value-out-of-5 = Noté { $value } sur 5
rated = Noté
out-of-5 = sur 5,
please-correct-the-highlighted-field = Veuillez corriger le champ signalé.
previous-page = ← Précédente
next-page = Suivante →

## js/api.js

could-not-reach-the-server-check = Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.
too-many-attempts-please-wait-a = Trop de tentatives. Patientez un instant puis réessayez.
something-went-wrong-on-the-server = Un problème est survenu sur le serveur. Veuillez réessayer.
the-request-failed-status = La requête a échoué ({ $status }).

## js/router.js

something-went-wrong = Un problème est survenu

## js/status.js

status-pending = En attente de paiement
status-paid = Payée
status-fulfilled = Traitée
status-shipped = Expédiée
status-delivered = Livrée
status-cancelled = Annulée
status-refunded = Remboursée
status-partially-refunded = Remboursée en partie
status-completed = Terminé
status-failed = Échec
status-requested = En attente d’examen
status-return-requested = En attente du retour
status-return-received = Retour reçu
status-approved = Approuvé
status-processed = Remboursé
status-rejected = Refusé
status-active = Actif
status-revoked = Accès terminé
status-submitted = En attente de note
status-graded = Noté
status-draft = Brouillon
status-published = Publié
status-archived = Archivé

## js/pages/account-security.js

qr-code-to-scan-with-your = QR code à scanner avec votre application d’authentification
two-factor-authentication = Authentification à deux facteurs
two-factor-authentication-is-off-add = L’authentification à deux facteurs est désactivée. Ajoutez un code d’une application d’authentification à chaque connexion, pour qu’un mot de passe volé ne suffise pas.
add-a-code-from-an-authenticator = Ajoutez un code d’une application d’authentification à chaque connexion, pour qu’un mot de passe volé ne suffise pas.
set-up-two-factor-authentication = Activer l’authentification à deux facteurs
logins-need-a-code-from-your = Chaque connexion demande un code de votre application d’authentification.
starting = Démarrage…
two-factor-authentication-is-already-on = L’authentification à deux facteurs est déjà activée pour votre compte.
open-your-authenticator-app-for-example = Ouvrez votre application d’authentification (par exemple Aegis, Google Authenticator ou 1Password) et scannez ce code :
enter-the-six-digit-code-the = Saisissez le code à six chiffres affiché par l’application, et votre mot de passe pour confirmer que c’est bien vous.
cannot-scan-enter-the-key-by = Impossible de scanner ? Saisissez la clé à la main
code-from-the-app = Code de l’application
password = Mot de passe
to-confirm-it-is-you = Pour confirmer que c’est bien vous.
turn-on = Activer
checking = Vérification…
copy-codes = Copier les codes
recovery-codes-copied = Codes de secours copiés.
copy-failed-please-write-the-codes = La copie a échoué ; notez les codes à la main.
two-factor-authentication-is-on = L’authentification à deux facteurs est activée.
save-these-recovery-codes-now-each = Enregistrez ces codes de secours maintenant. Chacun fonctionne une seule fois si vous perdez votre téléphone. Ils ne sont affichés que cette fois-ci.
recovery-codes = Codes de secours
i-have-saved-them = Je les ai enregistrés
two-factor-authentication-is-on-save = L’authentification à deux facteurs est activée. Enregistrez vos codes de secours.
turn-off-two-factor-authentication = Désactiver l’authentification à deux facteurs
code-from-the-app-or-a = Code de l’application ou code de secours
turn-off = Désactiver
two-factor-authentication-is-not-on = L’authentification à deux facteurs n’est pas activée pour votre compte.
two-factor-authentication-is-off = L’authentification à deux facteurs est désactivée.
turning-off = Désactivation…
download-my-data = Télécharger mes données
preparing-your-data = Préparation de vos données…
your-data-was-downloaded-as-name = Vos données ont été téléchargées sous le nom { $name }.
your-data = Vos données
download-everything-the-school-holds-abo = Téléchargez tout ce que l’école conserve à votre sujet — profil, commandes, paiements, cours, progression, tentatives de quiz, devoirs rendus et avis — dans un fichier ZIP avec une page lisible et un fichier JSON.
deleting-your-account-removes-your-name = Supprimer votre compte efface votre nom, votre e-mail et vos devoirs rendus, et met fin à toutes vos sessions. Les commandes et paiements sont conservés pour la comptabilité de l’école, sans votre nom. Cette action est définitive.
i-understand-that-my-account-will = Je comprends que mon compte sera supprimé définitivement
delete-my-account = Supprimer mon compte
your-account-was-deleted = Votre compte a été supprimé.
deleting = Suppression…
delete-account = Supprimer le compte

## js/pages/account.js

current-password = Mot de passe actuel
needed-to-change-your-email-address = Nécessaire pour changer votre adresse e-mail.
email = E-mail
save-profile = Enregistrer le profil
your-profile-was-saved = Votre profil a été enregistré.
new-password = Nouveau mot de passe
at-least-10-characters = Au moins 10 caractères.
repeat-new-password = Répétez le nouveau mot de passe
change-password = Changer le mot de passe
your-password-was-changed-you-were = Votre mot de passe a été changé. Vous avez été déconnecté de vos autres appareils.
your-password-was-changed = Votre mot de passe a été changé.
changing = Modification…
your-account = Votre compte
signed-in-as = Connecté en tant que
member-since = · membre depuis le
profile = Profil
administrator = Administrateur
the-two-passwords-do-not-match = Les deux mots de passe ne correspondent pas.

## js/pages/auth.js

an-account-already-uses-email-log = Un compte utilise déjà { $email }. Connectez-vous une fois avec son mot de passe pour y lier votre compte { $provider }.
you-are-logged-in = Vous êtes connecté.
enter-the-6-digit-code-from = Saisissez le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.
authentication-code = Code d’authentification
verify = Vérifier
start-over = Recommencer
verifying = Vérification…
log-in = Se connecter
forgot-your-password = Mot de passe oublié ?
logging-in = Connexion…
new-here = Nouveau ici ?
create-an-account = Créer un compte
create-account = Créer le compte
your-account-is-ready = Votre compte est prêt.
creating-account = Création du compte…
already-have-an-account = Vous avez déjà un compte ?
send-reset-link = Envoyer le lien de réinitialisation
if-an-account-exists-for-email = Si un compte existe pour { $email }, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Le lien est valable pendant une durée limitée.
back-to-log-in = Retour à la connexion
sending = Envoi…
reset-your-password = Réinitialiser votre mot de passe
reset-link-incomplete = Lien de réinitialisation incomplet
this-address-is-missing-its-reset = Il manque le jeton de réinitialisation dans cette adresse. Ouvrez à nouveau le lien reçu par e-mail, ou demandez-en un nouveau.
ask-for-a-new-link = Demander un nouveau lien
set-new-password = Enregistrer le nouveau mot de passe
ask-for-a-new-link-below = Demandez un nouveau lien ci-dessous : chaque lien ne fonctionne qu’une fois et pendant une durée limitée.
choose-a-new-password = Choisir un nouveau mot de passe
set-up-schoolhouse = Installer Schoolhouse
open-the-one-time-setup-link = Ouvrez le lien d’installation à usage unique que le serveur a affiché au démarrage. Il contient le jeton nécessaire pour créer le premier administrateur.
go-to-log-in = Aller à la connexion
your-name = Votre nom
administrator-email = E-mail de l’administrateur
repeat-password = Répétez le mot de passe
create-administrator = Créer l’administrateur
an-administrator-account-already-exists = Un compte administrateur existe déjà : ce lien d’installation ne peut plus servir.
usermessage-restart-the-server-to-print = { $userMessage } Redémarrez le serveur pour afficher un nouveau lien d’installation s’il n’existe encore aucun administrateur.
creating = Création…
login-link-incomplete = Lien de connexion incomplet
this-address-is-missing-its-token = Il manque le jeton dans cette adresse. Copiez à nouveau le lien en entier, ou connectez-vous avec votre mot de passe.
login-link-not-valid = Lien de connexion non valide
a-login-link-works-once-and = Un lien de connexion ne fonctionne qu’une fois et pendant peu de temps. Demandez-en un nouveau à un administrateur, ou connectez-vous avec votre mot de passe.
your-provider-account-is-linked-next = Votre compte { $provider } est lié : la prochaine fois, continuez simplement avec { $provider2 }.
your-provider-account-was-not-linked = Votre compte { $provider } n’a pas été lié : { $value }
at-least-10-characters-a-short = Au moins 10 caractères. Une courte phrase se retient facilement et se devine difficilement.
your-account-is-ready-log-in = Votre compte est prêt. Connectez-vous pour continuer.
join-to-enrol-in-courses-buy = Inscrivez-vous pour suivre des cours, acheter dans la boutique et suivre votre progression.
enter-the-email-address-of-your = Saisissez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
your-password-has-been-changed-log = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
you-will-be-logged-out-everywhere = Vous serez déconnecté partout une fois le mot de passe changé.
at-least-10-characters-you-can = Au moins 10 caractères. Vous pourrez activer l’authentification à deux facteurs ensuite.
the-administrator-account-was-created-lo = Le compte administrateur a été créé. Connectez-vous pour continuer.
create-the-first-administrator-account-t = Créez le premier compte administrateur. Ce lien ne fonctionne qu’une fois.
please-try-again = veuillez réessayer

## js/pages/cart.js

your-cart-is-empty = Votre panier est vide.
courses-and-products-you-add-appear = Les cours et produits que vous ajoutez apparaissent ici.
browse-the-catalogue = Parcourir le catalogue
qty-quantity = Qté { $quantity }
quantity = Quantité
amount-each = { $amount } l’unité
label-was-removed-from-your-cart = { $label } a été retiré de votre panier.
summary = Récapitulatif
log-in-to-check-out = Se connecter pour commander
your-cart-is-kept-in-this = Votre panier est gardé dans ce navigateur et rejoint votre compte quand vous vous connectez. Les taxes et la livraison sont calculées à la commande.
your-cart = Votre panier
quantity-of-name-set-to-quantity = Quantité de { $name } fixée à { $quantity }.
name-was-removed-from-your-cart = { $name } a été retiré de votre panier.
qty-1 = Qté 1
no-longer-available = N’est plus disponible
remove-name = Retirer { $name }
go-to-checkout = Passer la commande
tax-and-shipping-are-final-at = Les taxes et la livraison sont définitives à la commande, une fois votre adresse connue.
loading-your-cart = Chargement de votre panier…
an-item-no-longer-for-sale = Un article qui n’est plus en vente
includes-tax = Dont taxes
enter-a-whole-number-of-at = Saisissez un nombre entier d’au moins 1.

## js/pages/catalogue.js

min = Min.
max = Max.
free-courses-only = Cours gratuits uniquement
apply-filters = Appliquer les filtres
clear-all = Tout effacer
filters-and-sorting = Filtres et tri
try-other-words-or-remove-some = Essayez d’autres mots ou retirez des filtres.
clear-filters = Effacer les filtres
published-courses-will-appear-here = Les cours publiés apparaîtront ici.
products-for-sale-will-appear-here = Les produits en vente apparaîtront ici.
catalogue = Catalogue
courses-to-learn-at-your-own = Des cours à suivre à votre rythme.
books-kits-and-downloads-from-our = Livres, kits et téléchargements de notre boutique.
best-match = Pertinence
newest = Les plus récents
most-popular = Les plus populaires
top-rated = Les mieux notés
price-low-to-high = Prix croissant
price-high-to-low = Prix décroissant
title-a-z = Titre de A à Z
name-a-z = Nom de A à Z
all-categories = Toutes les catégories
all-tags = Toutes les étiquettes
all-types = Tous les types
course-language = Langue du cours
all-languages = Toutes les langues
sort-by = Trier par
tag = Étiquette
type = Type
search-items = { $kind ->
    [courses] Rechercher des cours
   *[products] Rechercher des produits
}
loading-items = { $kind ->
    [courses] Chargement des cours…
   *[products] Chargement des produits…
}
items-found = { $kind ->
    [courses] { $count ->
        [one] { $count } cours trouvé
       *[other] { $count } cours trouvés
    }
   *[products] { $count ->
        [one] { $count } produit trouvé
       *[other] { $count } produits trouvés
    }
}
no-items-match-your-search = { $kind ->
    [courses] Aucun cours ne correspond à votre recherche.
   *[products] Aucun produit ne correspond à votre recherche.
}
no-items-yet = { $kind ->
    [courses] Pas encore de cours.
   *[products] Pas encore de produits.
}
items-pages = { $kind ->
    [courses] Pages de cours
   *[products] Pages de produits
}
items-results = { $kind ->
    [courses] Résultats de cours
   *[products] Résultats de produits
}

## js/pages/certificate.js

check-a-certificate = Vérifier un certificat
certificate-number = Numéro du certificat
as-printed-on-the-certificate-for = Tel qu’imprimé sur le certificat, par exemple SH-CERT-7F3K-9QXD.
enter-the-number-printed-on-a = Saisissez le numéro imprimé sur un certificat pour savoir si cette école l’a délivré et s’il est toujours valide.
certificate-not-found = Certificat introuvable
this-school-has-not-issued-a = Cette école n’a délivré aucun certificat portant le numéro { $serial }. Vérifiez qu’il n’y a pas de faute de frappe.
certificate-serial = Certificat { $serial }
valid-certificate = Certificat valide
revoked-certificate = Certificat révoqué
this-certificate-was-issued-by-this = Ce certificat a été délivré par cette école et il est valide.
this-certificate-was-issued-by-this-2 = Ce certificat a été délivré par cette école mais révoqué le { $date }. Il n’est plus valide.
awarded-to = Décerné à
issued = Délivré le
check-another-certificate = Vérifier un autre certificat

## js/pages/checkout.js

choose-a-country = Choisissez un pays
not-given-default-tax-rate = Non indiqué (taux de taxe par défaut)
add-courses-or-products-before-checking = Ajoutez des cours ou des produits avant de commander.
shipping-address = Adresse de livraison
needed-for-value = Nécessaire pour { $value }.
full-name = Nom complet
address-line-1 = Adresse (ligne 1)
address-line-2 = Adresse (ligne 2)
city = Ville
postal-code = Code postal
country = Pays
shipping-method = Mode de livraison
billing = Facturation
billing-country = Pays de facturation
tax-depends-on-the-country-leave = La taxe dépend du pays ; laissez vide pour appliquer le taux par défaut.
coupon-code = Code promo
apply-coupon = Appliquer le code
place-order = Passer la commande
back-to-cart = Retour au panier
coupon-value-applied-amount = Code { $value } appliqué : { $amount }.
coupon-value-is-valid = Le code { $value } est valide.
placing-order = Commande en cours…
order-number-placed = Commande { $number } passée.
order-summary = Récapitulatif de la commande
totals-are-computed-by-the-shop = Les totaux sont calculés par la boutique et se mettent à jour pendant que vous remplissez le formulaire.
stripe-js-did-not-load = Stripe.js ne s’est pas chargé.
the-card-form-could-not-be = Le formulaire de carte n’a pas pu être chargé. Vérifiez votre connexion et réessayez.
amount-due = Montant dû :
this-order-is-value-there-is = Cette commande est à l’état « { $value } » ; il n’y a rien à payer.
see-the-order = Voir la commande
payment-received-thank-you = Paiement reçu. Merci !
order-number-is-paid = La commande { $number } est payée.
go-to-my-courses = Aller à Mes cours
payment-received = Paiement reçu.
your-payment-did-not-go-through = Votre paiement n’a pas abouti.
the-card-was-declined = La carte a été refusée.
no-money-was-taken-you-can = Aucun montant n’a été prélevé. Vous pouvez réessayer avec une autre carte.
try-again = Réessayer
preparing-your-payment = Préparation de votre paiement…
how-to-pay = Comment payer
pay-at-the-school-office-or = Payez au secrétariat de l’école ou par virement bancaire.
quote-your-order-number = Indiquez votre numéro de commande
and-the-amount = et le montant
payment-instructions-shown = Instructions de paiement affichées.
paypal-did-not-give-a-page = PayPal n’a pas fourni de page pour approuver le paiement. Veuillez réessayer.
taking-you-to-paypal-to-approve = Redirection vers PayPal pour approuver le paiement…
continue-to-paypal = Continuer vers PayPal
card-payments-are-not-available-right = Le paiement par carte n’est pas disponible pour le moment. Choisissez un autre moyen de paiement.
loading-the-card-form = Chargement du formulaire de carte…
pay-amount = Payer { $amount }
card-details = Coordonnées de la carte
card = Carte
choose-another-way-to-pay = Choisir un autre moyen de paiement
paying = Paiement…
the-card-could-not-be-charged = La carte n’a pas pu être débitée.
confirming-your-payment = Confirmation de votre paiement…
your-payment-is-still-being-confirmed = Votre paiement est encore en cours de confirmation. Cette page se met à jour dès qu’il l’est ; vous pouvez aussi consulter la commande plus tard.
how-would-you-like-to-pay = Comment souhaitez-vous payer ?
continue = Continuer
no-way-to-pay-is-set = Aucun moyen de paiement n’est encore configuré dans cette boutique. Veuillez contacter l’école.
discount-coupon-code = Remise ({ $coupon_code })
checkout = Commande
pay-now-by-credit-or-debit = Payez maintenant par carte de crédit ou de débit.
pay-with-paypal = Payer avec PayPal
you-approve-the-payment-on-paypal = Vous approuvez le paiement sur PayPal puis revenez ici.
pay-at-the-office-or-by = Payer au secrétariat ou par virement bancaire
your-order-is-confirmed-when-the = Votre commande est confirmée quand l’école enregistre votre paiement.
pay-for-order-number = Payer la commande { $number }
your-card-was-declined = Votre carte a été refusée. Essayez une autre carte.
your-card-was-declined-funds = Votre carte a été refusée (provision insuffisante). Essayez une autre carte.
coupon-code-error = Code promo : { $message }.
manual-hold = { $days ->
    [one] Nous réservons votre commande pendant { $days } jour, le temps que votre paiement arrive.
   *[other] Nous réservons votre commande pendant { $days } jours, le temps que votre paiement arrive.
}
manual-hold-until = { $days ->
    [one] Nous réservons votre commande pendant { $days } jour (jusqu’au { $until }), le temps que votre paiement arrive.
   *[other] Nous réservons votre commande pendant { $days } jours (jusqu’au { $until }), le temps que votre paiement arrive.
}
manual-hold-then = L’école la confirme à réception du paiement et nous vous prévenons alors par e-mail ; si aucun paiement n’a été enregistré d’ici là, la commande est annulée.

## js/pages/common.js

some-items-could-not-go-into = Certains articles n’ont pas pu être ajoutés à votre panier : { $value }

## js/pages/course.js

no-lessons-yet = Pas encore de leçons.
the-outline-appears-here-once-lessons = Le programme apparaîtra ici une fois les leçons ajoutées.
section-value-2 = Partie { $value }
locked = Verrouillée
rating-out-of-5-stars = { $rating } étoiles sur 5
loading-reviews = Chargement des avis…
show-more-reviews = Afficher plus d’avis
loading = Chargement…
no-reviews-yet = Pas encore d’avis.
learners-who-take-this-course-can = Les élèves qui suivent ce cours peuvent laisser un avis.
you-completed-this-course = Vous avez terminé ce cours.
you-are-enrolled-in-this-course = Vous êtes inscrit à ce cours.
percent-complete = { $percent } % terminé
review-the-course = Donner votre avis sur le cours
continue-learning = Reprendre le cours
start-the-course = Commencer le cours
title-was-added-to-your-cart = { $title } a été ajouté à votre panier.
enrolling = Inscription…
go-to-your-cart = Aller au panier
enrol-for-free = S’inscrire gratuitement
buy-this-course = Acheter ce cours
loading-outline = Chargement du programme…
breadcrumb = Fil d’Ariane
no-ratings-yet = Pas encore de note
about-this-course = À propos de ce cours
course-outline = Programme du cours
reviews = Avis
enrolment = Inscription
count-review =
    { $count ->
        [one] { $count } avis
       *[other] { $count } avis
    }
browse-courses = Parcourir les cours
this-course-does-not-exist-or = Ce cours n’existe pas ou n’est pas publié.
a-learner-2 = Un élève
length = Durée

## js/pages/learn.js

p-complete = { $p } % terminé
p-complete-done = { $p } % terminé · Terminé
certificate-name-downloaded = Certificat { $name } téléchargé.
your-access-to-this-course-has = Votre accès à ce cours a pris fin.
enrolled-date = Inscrit le { $date }
start = Commencer
download-certificate = Télécharger le certificat
you-are-not-enrolled-in-any = Vous n’êtes encore inscrit à aucun cours.
courses-you-enrol-in-or-buy = Les cours auxquels vous vous inscrivez ou que vous achetez apparaissent ici.
this-lesson-opens-on = Cette leçon ouvre le
this-lesson-is-locked = Cette leçon est verrouillée.
lessons-in-this-course-open-step = Les leçons de ce cours s’ouvrent pas à pas après votre inscription. Revenez à ce moment-là !
you-are-not-enrolled-in-this = Vous n’êtes pas inscrit à ce cours.
see-the-course-page = Voir la page du cours
lessons-appear-here-once-the-instructor = Les leçons apparaîtront ici dès que le formateur les aura ajoutées.
you-completed-this-course-2 = Vous avez terminé ce cours !
completed-on-date = Terminé le { $date }.
your-certificate-is-ready = Votre certificat est prêt.
you-completed-this-lesson = Vous avez terminé cette leçon.
complete-and-continue = Terminer et continuer
mark-as-complete = Marquer comme terminée
lesson-marked-complete = Leçon marquée comme terminée.
next-title = Suivante : { $title } →
your-browser-cannot-play-this-video = Votre navigateur ne peut pas lire cette vidéo.
download-it = Téléchargez-la
no-video-yet = Pas encore de vidéo.
the-instructor-has-not-added-the = Le formateur n’a pas encore ajouté la vidéo.
this-lesson-cannot-be-shown-here = Cette leçon ne peut pas être affichée ici.
course-outline-count = Programme du cours · { $count }
value-lesson-value2-of-length = { $value } · leçon { $value2 } sur { $length }
question-value-2 = Question { $value }.
your-answer = Votre réponse
choose-every-answer-that-applies = Cochez toutes les bonnes réponses.
submit-answers = Envoyer les réponses
you-have-used-all-your-attempts = Vous avez utilisé toutes vos tentatives pour ce quiz.
please-answer-every-question-count-left = Veuillez répondre à toutes les questions (encore { $count }).
grading = Correction…
correct-points-awarded-points = ✓ Correct ({ $points_awarded }/{ $points })
not-correct-points-awarded-points = ✗ Incorrect ({ $points_awarded }/{ $points })
you-passed = Réussi !
not-passed-this-time = Pas réussi cette fois-ci.
score-score-percent-correct-count-of = Score : { $score_percent } % ({ $correct_count } bonnes réponses sur { $length }). Meilleur score : { $best_score_percent } %.
attempts-used-attempts-used = Tentatives utilisées : { $attempts_used }.
attempts-left-left = Tentatives restantes : { $left }.
retake-quiz = Refaire le quiz
this-quiz-has-no-questions-yet = Ce quiz n’a pas encore de questions.
your-submission = Votre devoir
handed-in-date = Rendu le { $date }
feedback-2 = Commentaire :
waiting-for-a-grade = En attente de note
hand-in-again = Rendre à nouveau
hand-in-your-work = Rendre votre travail
link-optional = Lien (facultatif)
a-link-to-your-work-e = Un lien vers votre travail, par exemple un document partagé.
submit-assignment = Rendre le devoir
your-assignment-was-handed-in = Votre devoir a été rendu.
submitting = Envoi…
your-rating = Votre note
post-review = Publier l’avis
review-this-course = Donner votre avis sur ce cours
count-star = { $count ->
    [one] { $count } étoile
   *[other] { $count } étoiles
}
comment = Commentaire
what-did-you-like-what-could = Qu’avez-vous aimé ? Que pourrait-on améliorer ? (jusqu’à 2 000 caractères)
update-review = Modifier l’avis
thank-you-your-review-is-posted = Merci ! Votre avis est publié.
your-review-is-posted = Votre avis est publié.
posting = Publication…
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
this-lesson-is-not-part-of = Cette leçon ne fait pas partie du cours.
back-to-the-course = Retour au cours
pass-mark-pass-percent = Note de réussite : { $pass_percent } %.
any-attempt-passes = Toute tentative est validée.
attempts-used-of-max-attempts-used = Tentatives : { $used } sur { $max_attempts } utilisées.
best-score-best = Meilleur score : { $best } %.
write-an-answer-or-give-a = Écrivez une réponse ou donnez un lien.
grade-score = { $passed ->
    [yes] Note : { $score } — réussi
    [no] Note : { $score } — pas encore réussi
   *[unknown] Note : { $score }
}
you-passed-this-quiz = Vous avez réussi ce quiz. Vous pouvez le refaire pour vous entraîner.
you-passed-this-quiz-with = Vous avez réussi ce quiz avec { $best } %. Vous pouvez le refaire pour vous entraîner.
pass-mark-score = Note de réussite : { $pass_score }.
pass-mark-of-max = Note de réussite : { $pass_score } sur { $max_score }.
attempts-so-far = { $count ->
    [one] { $count } tentative jusqu’ici.
   *[other] { $count } tentatives jusqu’ici.
}
course-progress-percent = Progression dans le cours : { $percent } %
locked-until = Verrouillée jusqu’au { $date }

## js/pages/orders.js

your-orders-newest-first = Vos commandes, des plus récentes aux plus anciennes
orders-you-place-appear-here = Les commandes que vous passez apparaissent ici.
order-pages = Pages de commandes
refund = Remboursement
for-value = pour { $value }
asked-value = · demandé { $value }
where-to-send-them = Où les envoyer :
reply-to-the-mail-about-this = Répondez à l’e-mail concernant cette demande pour demander à l’école où les envoyer.
paid-back-value-banks-take-a = Remboursé { $value } ; les banques mettent quelques jours à l’afficher.
note-from-the-school = Message de l’école :
amount = Montant :
why-it-is-not-eligible = Pourquoi ce n’est pas éligible :
notes = Remarques :
pay-now = Payer maintenant
every-item-of-this-order-is = Chaque article de cette commande fait l’objet d’une demande de remboursement ; suivez-la sous Remboursement.
nothing-to-do-for-this-order = Rien à faire pour cette commande.
cancel-order-number = Annuler la commande { $number } ?
cancelling = Annulation…
order-number-was-cancelled = La commande { $number } a été annulée.
this-order-is-paid-ask-for = Cette commande est payée : demandez plutôt un remboursement avec le formulaire ci-dessous.
ask-for-a-refund = Demander un remboursement
reason-2 = Motif
tell-the-school-why-it-helps = Dites à l’école pourquoi ; cela l’aide à décider.
request-refund = Demander le remboursement
no-history-yet = Pas encore d’historique.
your-orders = Vos commandes
your-refund-request-was-received-and = Votre demande de remboursement a été reçue et attend d’être examinée par l’école.
your-refund-was-approved-and-is = Votre remboursement a été approuvé et est en cours de versement.
your-refund-was-processed-the-money = Votre remboursement a été effectué. L’argent est en route vers vous.
your-refund-request-was-not-approved = Votre demande de remboursement n’a pas été approuvée.
please-send-the-items-back-the = Veuillez renvoyer les articles ; le remboursement suivra dès que l’école les aura reçus.
the-school-received-your-return-the = L’école a reçu votre retour ; le remboursement va suivre.
the-refund-could-not-be-paid = Le remboursement n’a pas encore pu être versé. L’école a été prévenue et va réessayer.
there-is-no-such-order-in = Cette commande n’existe pas dans votre compte.
your-refund-request-is-being-handled = Votre demande de remboursement est en cours de traitement.

## js/pages/paypal.js

try-again-or-choose-another-way = Réessayer ou choisir un autre moyen de paiement
asking-paypal = Interrogation de PayPal…
payment-received-through-paypal-thank-yo = Paiement reçu via PayPal. Merci !
you-cancelled-the-payment-at-paypal = Vous avez annulé le paiement sur PayPal.
paypal-did-not-complete-the-payment = PayPal n’a pas finalisé le paiement.
the-payment-was-declined = Le paiement a été refusé.
no-money-was-taken-your-order = Aucun montant n’a été prélevé. Votre commande vous est réservée.
payment-cancelled = Paiement annulé.
payment-declined = Paiement refusé.
paypal-has-not-confirmed-the-payment = PayPal n’a pas encore confirmé le paiement. Nous mettrons votre commande à jour dès que ce sera fait ; inutile de payer à nouveau.
completing-your-paypal-payment = Finalisation de votre paiement PayPal
paypal-payment-cancelled = Paiement PayPal annulé

## js/pages/preview.js

continue-with-the-course = Continuer avec le cours
liked-it-the-whole-course-is = Ça vous a plu ? Le cours complet vous attend.
back-to-the-course-page = Retour à la page du cours
more-free-previews = Autres aperçus gratuits
lesson-is-part-of-the-course = { $type ->
    [video] Les vidéos font partie du cours complet : inscrivez-vous pour les regarder.
    [quiz] Les quiz font partie du cours complet : inscrivez-vous pour y répondre.
    [assignment] Les devoirs font partie du cours complet : inscrivez-vous pour les rendre.
    [reading] Les lectures font partie du cours complet : inscrivez-vous pour les lire.
   *[other] Cette leçon fait partie du cours complet : inscrivez-vous pour la suivre.
}

## js/pages/product.js

show-image-value-of-length = Afficher l’image { $value } sur { $length }
add-to-cart = Ajouter au panier
name-was-added-to-your-cart = { $name } a été ajouté à votre panier.
added-to-your-cart = Ajouté à votre panier.
view-cart = Voir le panier
purchase = Achat
this-product-does-not-exist-or = Ce produit n’existe pas ou n’est plus en vente.
browse-products = Parcourir les produits
physical-item-shipped = Article physique (expédié)
digital-download = Téléchargement numérique
in-stock = En stock

## js/pages/signin-providers.js

continue-with-name = Continuer avec { $name }
or-use-your-email-and-password = ou utilisez votre e-mail et votre mot de passe
no-provider-is-linked-use-continue = Aucun fournisseur n’est lié. Utilisez « Continuer avec … » sur la page de connexion pour en lier un.
unlink = Délier
unlink-provider-email = Délier { $provider } ({ $email })
unlinking = Déliaison…
provider-was-unlinked = { $provider } a été délié.
provider-is-no-longer-linked = { $provider } n’est plus lié.
accounts-of-this-email-domain-may = Les comptes de ce domaine de messagerie ne peuvent pas se connecter ici. Utilisez votre compte de l’école, ou adressez-vous à l’école.
there-is-no-account-with-this = Il n’existe pas encore de compte avec cet e-mail, et ce fournisseur ne permet pas d’en créer. Demandez un compte à l’école.
the-provider-has-not-verified-your = Le fournisseur n’a pas vérifié votre adresse e-mail. Vérifiez-la d’abord auprès du fournisseur, puis réessayez.
this-account-is-disabled-contact-the = Ce compte est désactivé. Contactez l’école.
the-sign-in-with-the-provider = La connexion avec le fournisseur n’a pas fonctionné. Veuillez réessayer.
that-sign-in-took-too-long = Cette connexion a pris trop de temps ou a été commencée dans une autre fenêtre. Veuillez réessayer.
this-is-your-only-way-to = C’est votre seul moyen de connexion. Définissez d’abord un mot de passe (« Mot de passe oublié ? » sur la page de connexion) ou liez un autre fournisseur.

## js/admin/app.js

dashboard = Tableau de bord
courses = Cours
products = Produits
orders = Commandes
refunds = Remboursements
coupons = Codes promo
users = Utilisateurs
audit-log = Journal d’audit
error-log = Journal des erreurs
backups = Sauvegardes
settings = Réglages
back-to-the-site = Retour au site
go-to-the-admin-home = Aller à l’accueil de l’administration
my-courses = Mes cours
my-products = Mes produits
page-not-found = Page introuvable
no-access = Accès refusé
the-admin-area-is-for-administrators = L’espace d’administration est réservé aux administrateurs, formateurs et vendeurs. Votre compte n’a aucun de ces rôles.
admin = Administration
admin-site-name = Administration de Schoolhouse
the-tools-for-your-role-are = Les outils de votre rôle ne sont pas encore disponibles dans cette version de Schoolhouse.
the-label-section-is-not-available = La rubrique { $label } n’est pas accessible à votre rôle.
not-available = Non disponible
the-label-section-is-not-available-2 = La rubrique { $label } n’est pas encore disponible sur ce serveur.
there-is-no-admin-page-at = Il n’y a pas de page d’administration à cette adresse.

## js/admin/backups.js

value-gb = { $value } Go
value-mb = { $value } Mo
value-kb = { $value } ko
n-b = { $n } o
verified = Vérifiée
failed-verification = Échec de la vérification
not-verified = Non vérifiée
preparing = Préparation…
last-backup = Dernière sauvegarde
never = Jamais
more-than-two-days-old = Date de plus de deux jours.
last-verification = Dernière vérification
download = Télécharger
download-name = Télécharger { $name }
no-backups-yet = Pas encore de sauvegarde.
take-the-first-one-now-the = Faites la première maintenant ; le serveur continue de répondre pendant qu’elle tourne.
back-up-now = Sauvegarder maintenant
backing-up = Sauvegarde…
backup-finished = Sauvegarde terminée.
loading-backups = Chargement des sauvegardes…
check = Vérifier
archive = Archive
created = Créée le
size = Taille
archives-hold-the-database-media-and = Les archives contiennent la base de données, les médias et les secrets : conservez les téléchargements aussi prudemment que le serveur.
backup-name-written = Sauvegarde { $name } écrite.
backup-name-written-and-verified = Sauvegarde { $name } écrite et vérifiée.

## js/admin/common.js

apply = Appliquer
list-count-order = { $count ->
    [one] { $count } commande
   *[other] { $count } commandes
}
list-loading-order = Chargement des commandes…
list-empty-order = Pas encore de commandes.
list-pages-order = Pages de commandes
list-count-coupon = { $count ->
    [one] { $count } code promo
   *[other] { $count } codes promo
}
list-loading-coupon = Chargement des codes promo…
list-empty-coupon = Pas encore de codes promo.
list-pages-coupon = Pages de codes promo
list-count-product = { $count ->
    [one] { $count } produit
   *[other] { $count } produits
}
list-loading-product = Chargement des produits…
list-empty-product = Pas encore de produits.
list-pages-product = Pages de produits
list-count-refund-request = { $count ->
    [one] { $count } demande de remboursement
   *[other] { $count } demandes de remboursement
}
list-loading-refund-request = Chargement des demandes de remboursement…
list-empty-refund-request = Pas encore de demandes de remboursement.
list-pages-refund-request = Pages de demandes de remboursement
list-count-learner = { $count ->
    [one] { $count } élève
   *[other] { $count } élèves
}
list-loading-learner = Chargement des élèves…
list-empty-learner = Pas encore d’élèves.
list-pages-learner = Pages d’élèves
list-count-submission = { $count ->
    [one] { $count } devoir rendu
   *[other] { $count } devoirs rendus
}
list-loading-submission = Chargement des devoirs rendus…
list-empty-submission = Pas encore de devoirs rendus.
list-pages-submission = Pages de devoirs rendus
list-count-entry = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
list-loading-entry = Chargement des entrées…
list-empty-entry = Pas encore d’entrées.
list-pages-entry = Pages d’entrées
list-count-error = { $count ->
    [one] { $count } erreur
   *[other] { $count } erreurs
}
list-loading-error = Chargement des erreurs…
list-empty-error = Pas encore d’erreurs.
list-pages-error = Pages d’erreurs
list-count-course = { $count ->
    [one] { $count } cours
   *[other] { $count } cours
}
list-loading-course = Chargement des cours…
list-empty-course = Pas encore de cours.
list-pages-course = Pages de cours
list-count-bundle = { $count ->
    [one] { $count } pack
   *[other] { $count } packs
}
list-loading-bundle = Chargement des packs…
list-count-document = { $count ->
    [one] { $count } document émis
   *[other] { $count } documents émis
}
list-loading-document = Chargement des factures et avoirs…
list-pages-document = Pages de factures et d’avoirs
logs-no-match-entry = Aucune entrée ne correspond.
logs-none-entry = Aucune entrée enregistrée.
logs-filter-entry = Filtrer le journal d’audit
logs-no-match-error = Aucune erreur ne correspond.
logs-none-error = Aucune erreur enregistrée.
logs-filter-error = Filtrer le journal des erreurs

## js/admin/coupons.js

percent-off = { $percent } % de remise
amount-off = { $amount } de remise
expired = Expiré
from-date = À partir du { $date }
used-up = Épuisé
until-date = Jusqu’au { $date }
active = Actif
new-coupon = Nouveau code promo
actions = Actions
delete = Supprimer
delete-coupon-code = Supprimer le code promo { $code }
delete-the-coupon-code-orders-that = Supprimer le code promo { $code } ? Les commandes qui l’ont utilisé gardent leur remise.
coupon-code-deleted = Code promo { $code } supprimé.
orders-from-amount = Commandes à partir de { $amount }
coupon = Code promo
coupon-not-found = Code promo introuvable
code = Code
customers-type-it-case-does-not = Les clients le saisissent ; majuscules et minuscules sont équivalentes.
discount-type = Type de remise
percentage = Pourcentage
fixed-amount-currency = Montant fixe ({ $currency })
percent-off-2 = Pourcentage de remise
amount-off-currency = Montant de la remise ({ $currency })
minimum-subtotal-currency = Sous-total minimum ({ $currency })
optional = Facultatif.
applies-to = S’applique à
item-ids = Identifiants d’articles
for-listed-items-only-one-product = Pour « Articles listés uniquement » : un identifiant de produit ou de cours par ligne.
starts = Début
optional-your-local-time = Facultatif ; votre heure locale.
expires = Expiration
total-uses = Utilisations au total
empty-unlimited = Vide : illimité.
uses-per-customer = Utilisations par client
create-coupon = Créer le code promo
save-coupon = Enregistrer le code promo
cancel = Annuler
must-be-an-amount-such-as = doit être un montant comme { $amount }
please-correct-the-highlighted-fields = Veuillez corriger les champs signalés.
coupon-code-created = Code promo { $code } créé.
the-coupon-was-saved = Le code promo a été enregistré.
saved = Enregistré.
saving = Enregistrement…
everything = Tout
products-only = Produits uniquement
courses-only = Cours uniquement
listed-items-only = Articles listés uniquement
no-coupons-yet = Pas encore de codes promo.
create-a-code-for-a-percentage = Créez un code pour une remise en pourcentage ou d’un montant fixe.
discount = Remise
used = Utilisé
validity = Validité
discount-codes-customers-enter-at-checko = Les codes de remise que les clients saisissent à la commande.
coupon-code-2 = Code promo { $code }
coupon-used-times = { $count ->
    [one] Utilisé { $count } fois dans des commandes payées.
   *[other] Utilisé { $count } fois dans des commandes payées.
}

## js/admin/courses.js

new-course = Nouveau cours
by-name = par { $name }
search = Rechercher
title-or-description = Titre ou description
status = Statut
category = Catégorie
no-category = Sans catégorie
tags = Étiquettes
current-cover-image = Image de couverture actuelle
remove-cover = Retirer la couverture
uploading-name = Envoi de { $name }…
name-uploaded-save-the-details-to = { $name } envoyé. Enregistrez les détails pour l’utiliser.
the-upload-failed = L’envoi a échoué.
the-cover-is-removed-when-you = La couverture sera retirée quand vous enregistrerez les détails.
cover-image = Image de couverture
shown-on-the-course-card-and = Affichée sur la fiche et la page du cours. JPEG, PNG, WebP ou GIF ; une image large (16:9) rend le mieux.
course-details = Détails du cours
title = Titre
description = Description
markdown-bold-italic-lists-links = Markdown : **gras**, *italique*, listes, liens.
price-currency = Prix ({ $currency })
zero-makes-the-course-free = 0 rend le cours gratuit.
level = Niveau
slug = Identifiant d’adresse
the-address-of-the-course-page = L’adresse de la page du cours.
save-details = Enregistrer les détails
create-course = Créer le cours
check-the-price = Vérifiez le prix.
course-title-created = Cours « { $title } » créé.
course = Cours
course-not-found = Cours introuvable
could-not-load-the-course = Impossible de charger le cours
unpublish = Dépublier
publish = Publier
this-course-cannot-be-published-yet = Ce cours ne peut pas encore être publié.
this-course-has-value-learners-decide = Il manque à ce cours : { $value }. Les élèves se décident depuis la page du cours : le publier quand même ?
the-course-is-published-it-is = Le cours est publié : il figure dans le catalogue.
the-course-is-a-draft-again = Le cours est de nouveau un brouillon : il ne figure plus dans le catalogue.
course-sections = Parties du cours
preview = Aperçu
the-course-page-opens-in-a = la page du cours (s’ouvre dans un nouvel onglet)
the-course-details-were-saved = Les détails du cours ont été enregistrés.
title-details = { $title } · Détails
count-lesson =
    { $count ->
        [one] { $count } leçon
       *[other] { $count } leçons
    }
count-learner =
    { $count ->
        [one] { $count } élève
       *[other] { $count } élèves
    }
price = Prix
lessons = Leçons
any-status = Tous les statuts
draft = Brouillon
published = Publié
archived = Archivé
all-levels = Tous niveaux
beginner = Débutant
intermediate = Intermédiaire
advanced = Avancé
no-courses-match = Aucun cours ne correspond.
try-other-words-or-another-status = Essayez d’autres mots ou un autre statut.
no-courses-yet = Pas encore de cours.
create-your-first-course-then-add = Créez votre premier cours, puis ajoutez-y des parties et des leçons.
learners = Élèves
updated = Mis à jour
filter-courses = Filtrer les cours
every-course-in-the-school = Tous les cours de l’école.
courses-you-teach-build-their-lessons = Les cours que vous donnez : construisez leurs leçons, suivez vos élèves, notez les devoirs.
start-with-a-title-add-sections = Commencez par un titre ; ajoutez ensuite des parties et des leçons. Les nouveaux cours restent des brouillons tant que vous ne les publiez pas.
content = Contenu
details = Détails
grading-2 = Notation
it-has-no-lessons = Il n’a aucune leçon : ajoutez-en au moins une sous Contenu.
missing-description = une description
missing-cover-image = une image de couverture

## js/admin/dashboard.js

net-revenue-gross-refunds = Chiffre d’affaires net (brut − remboursements)
this-report-is-not-available-on = Ce rapport n’est pas encore disponible sur ce serveur.
report-period = Période du rapport
from = Du
to = Au
group-by = Regrouper par
show = Afficher
revenue-over-time = Chiffre d’affaires dans le temps
show-the-figures-as-a-table = Afficher les chiffres sous forme de tableau
no-sales-in-this-period = Aucune vente sur cette période.
no-products-sold-in-this-period = Aucun produit vendu sur cette période.
no-enrolments-in-this-period = Aucune inscription sur cette période.
accounts = Comptes :
top-courses = Meilleurs cours
top-products = Meilleurs produits
active-users = Utilisateurs actifs
product = Produit
highest-amount-on-value = ; maximum { $amount } le { $value }.
no-sales-in-this-range = ; aucune vente sur cette période.
day = Jour
week = Semaine
month = Mois
net-revenue = Chiffre d’affaires net
gross-minus-refunds = Brut moins remboursements
gross-sales = Ventes brutes
average-amount = Moyenne { $amount }
net-revenue-per-interval = { $interval ->
    [week] Chiffre d’affaires net par semaine
    [month] Chiffre d’affaires net par mois
   *[day] Chiffre d’affaires net par jour
}
revenue-per-period = Chiffre d’affaires par période
period = Période
gross = Brut
net = Net
units = Unités
revenue = Chiffre d’affaires
enrolments = Inscriptions
completion = Achèvement
rating = Note
active-today = Actifs aujourd’hui
active-this-week = Actifs cette semaine
active-this-month = Actifs ce mois-ci
sales-and-learning-from-date-to = Ventes et apprentissage du { $date } au { $date2 }.
net-revenue-over-periods = Chiffre d’affaires net de { $amount } sur { $interval ->
    [week] { $count ->
        [one] { $count } semaine
       *[other] { $count } semaines
    }
    [month] { $count ->
        [one] { $count } mois
       *[other] { $count } mois
    }
   *[day] { $count ->
        [one] { $count } jour
       *[other] { $count } jours
    }
}
chart-bar-title = { $label } : net { $net }, brut { $gross }, remboursements { $refunds }, { $count ->
    [one] { $count } commande
   *[other] { $count } commandes
}
chart-refund-title = { $label } : remboursements { $refunds }
accounts-of-role = { $role ->
    [admin] { $count ->
        [one] { $count } administrateur
       *[other] { $count } administrateurs
    }
    [instructor] { $count ->
        [one] { $count } formateur
       *[other] { $count } formateurs
    }
    [vendor] { $count ->
        [one] { $count } vendeur
       *[other] { $count } vendeurs
    }
   *[student] { $count ->
        [one] { $count } élève
       *[other] { $count } élèves
    }
}

## js/admin/learners.js

value-percent-complete = { $value } : { $percent } % terminé
passed = Réussi
title-learners = { $title } · Élèves
grade-learner-name-s-submission-for = Noter le devoir de { $learner_name } pour { $value }
grade-submission-id = Noter le devoir { $id }
score-0-max = Note (0–{ $max })
score = Note
feedback = Commentaire
update-grade = Modifier la note
save-grade = Enregistrer la note
is-required = est obligatoire
submitted-date-by = Rendu le { $date } par
a-file-is-attached-to-this = Un fichier est joint à ce devoir.
submissions = Devoirs rendus
to-grade = À noter
graded = Notés
title-grading = { $title } · Notation
assignment = Devoir
no-learners-yet = Pas encore d’élèves.
learners-appear-here-when-they-enrol = Les élèves apparaissent ici quand ils s’inscrivent.
publish-the-course-so-learners-can = Publiez le cours pour que les élèves puissent s’inscrire.
learners-and-their-progress = Les élèves et leur progression
learner = Élève
progress = Progression
time-spent = Temps passé
quizzes = Quiz
enrolled = Inscrit le
the-assignment = le devoir
nothing-to-grade = Rien à noter.
new-assignment-submissions-appear-here = Les nouveaux devoirs rendus apparaissent ici.
no-graded-submissions-yet = Pas encore de devoirs notés.
enter-a-score = Saisissez une note.
a-learner = un élève
quiz-best-attempts = { $count ->
    [one] { $best } % au mieux, { $count } tentative
   *[other] { $best } % au mieux, { $count } tentatives
}
graded-score = { $passed ->
    [yes] Noté : { $score }, réussi.
    [no] Noté : { $score }, non réussi.
   *[unknown] Noté : { $score }.
}
score-passed = { $passed ->
    [yes] Note { $score } (réussi)
   *[no] Note { $score } (non réussi)
}

## js/admin/lesson.js

option-value-is-correct = L’option { $value } est correcte
option-value-of-question-value2 = Option { $value } de la question { $value2 }
option-value = Option { $value }
remove-option-value-of-question-value2 = Retirer l’option { $value } de la question { $value2 }
options-mark-the-correct-one = Options (marquez la bonne)
options-tick-every-correct-one = Options (cochez toutes les bonnes)
add-option = + Ajouter une option
to-question-value = à la question { $value }
correct-answer = Bonne réponse
true = Vrai
false = Faux
accepted-answers = Réponses acceptées
one-per-line-matching-ignores-case = Une par ligne. La comparaison ignore la casse et les espaces autour.
question-value = Question { $value }
move-question-value-up = Monter la question { $value }
move-question-value-down = Descendre la question { $value }
remove = Retirer
remove-question-value = Retirer la question { $value }
kind = Genre
points = Points
question-text = Texte de la question
add-question = + Ajouter une question
questions = Questions
lesson = Leçon
lesson-not-found = Leçon introuvable
new-lesson = Nouvelle leçon
add-a-section-first = Ajoutez d’abord une partie
lessons-live-in-sections-add-a = Les leçons se rangent dans des parties. Ajoutez une partie au cours, puis des leçons à cette partie.
go-to-the-course-content = Aller au contenu du cours
lesson-type = Type de leçon
changing-the-type-replaces-the-lesson = Changer de type remplace le contenu de la leçon.
an-uploaded-video-is-attached = Une vidéo envoyée est jointe.
no-file-uploaded = Aucun fichier envoyé.
upload-finished = Envoi terminé.
video = Vidéo
video-url = Adresse de la vidéo
an-external-http-s-address-or = Une adresse http(s) externe, ou envoyez plutôt un fichier ci-dessous.
or-upload-a-video-file = Ou envoyez un fichier vidéo
text-markdown = Texte (Markdown)
heading-bold-italic-lists-link-https = # Titre, **gras**, *italique*, - listes, [lien](https://…)
show-preview = Afficher l’aperçu
hide-preview = Masquer l’aperçu
reading = Lecture
quiz = Quiz
pass-mark = Seuil de réussite (%)
empty-70 = Vide : 70.
attempts-allowed = Tentatives autorisées
leave-empty-for-unlimited = Laissez vide pour un nombre illimité.
instructions = Consignes
what-the-learner-hands-in-and = Ce que l’élève rend et comment c’est noté (Markdown).
maximum-score = Note maximale
empty-100 = Vide : 100.
passing-score = Note de réussite
empty-half-the-maximum-score = Vide : la moitié de la note maximale.
section = Partie
duration-minutes = Durée (minutes)
opens-after-days = Ouvre après (jours)
drip-days-after-enrolment-0-opens = Diffusion progressive : jours après l’inscription. 0 ouvre tout de suite.
free-preview-anyone-can-open-it = Aperçu gratuit (tout le monde peut l’ouvrir)
required-for-completion = Obligatoire pour terminer le cours
create-lesson = Créer la leçon
save-lesson = Enregistrer la leçon
lesson-title-created = Leçon « { $title } » créée.
lesson-title-saved = Leçon « { $title } » enregistrée.
preview-as-learner = Aperçu côté élève
opens-in-a-new-tab = (s’ouvre dans un nouvel onglet)
single-choice = Choix unique
multiple-choice = Choix multiple
true-or-false = Vrai ou faux
short-text = Texte court
uploaded-value = Envoyé : { $value }
edit-lesson-title = Modifier la leçon : { $title }

## js/admin/logs.js

actor = Auteur
user-id = Identifiant d’utilisateur
action = Action
login-failed-or-order = login.failed ou order.*
target-type = Type de cible
e-g-order-refund-user = par ex. order, refund, user
target = Cible
id = Identifiant
source = Origine
http-status = HTTP { $status }
try-other-filters = Essayez d’autres filtres.
time = Heure
ip = Adresse IP
any-source = Toutes origines
requests = Requêtes
background-jobs = Tâches de fond
message = Message
request-id = Identifiant de requête
audit-log-lead = Qui a fait quoi et quand. Les entrées ne peuvent jamais être modifiées ni supprimées.
error-log-lead = Erreurs du serveur et tâches de fond en échec (e-mails, paiements, sauvegardes).

## js/admin/orders.js

tracking-tracking-number = Suivi { $tracking_number }
number-or-email = Numéro ou e-mail
sh-000123-or-name-example-com = SH-000123 ou nom@exemple.fr
confirm-payment = Confirmer le paiement
the-buyer-chose-to-pay-at = L’acheteur a choisi de payer au secrétariat ou par virement. Une fois l’argent arrivé, enregistrez-le : la commande est payée et l’acheteur obtient l’accès.
record-payment-received = Enregistrer le paiement reçu
the-buyer-has-not-chosen-how = L’acheteur n’a pas choisi de moyen de paiement en ligne. S’il a payé au secrétariat ou par virement, enregistrez-le ici : la commande est payée et l’acheteur obtient l’accès.
recording = Enregistrement…
payments = Paiements
payment = Paiement
refunded-amount = Remboursé { $amount }
paypal-order = Commande PayPal
reference = Référence
paypal-capture = Encaissement PayPal
started-date = Commencé le { $date }
completed-date = · terminé le { $date }
no-payment-has-been-started-for = Aucun paiement n’a été commencé pour cette commande.
change-the-order-status = Changer le statut de la commande
new-status = Nouveau statut
tracking-number = Numéro de suivi
sent-to-the-customer-in-the = Envoyé au client dans l’e-mail d’expédition.
note-optional = Remarque (facultatif)
change-status = Changer le statut
cancel-order-number-a-paid-order = Annuler la commande { $number } ? Une commande payée est remboursée.
order = Commande
order-not-found = Commande introuvable
could-not-load-the-order = Impossible de charger la commande
order-number-is-now-value = La commande { $number } est maintenant : { $value }.
order-status = Commande { $status }.
items = Articles
physical = Physique
digital = Numérique
total = Total
history = Historique
no-status-changes-yet = Pas encore de changement de statut.
tracking-number-2 = Numéro de suivi :
paid-date = Payée le { $date }
no-status-change-is-possible-from = Aucun changement de statut n’est possible à partir d’ici.
customer = Client
ship-to = Livrer à
shipping-method-value = Mode de livraison : { $value }
coupon-coupon-code = Code promo : { $coupon_code }
order-number = Commande { $number }
subtotal = Sous-total
no-orders-yet = Pas encore de commandes.
cancel-order = Annuler la commande
shipping = Livraison
mark-as-shipped = Marquer comme expédiée
mark-as-delivered = Marquer comme livrée
mark-as-fulfilled = Marquer comme traitée
no-orders-match = Aucune commande ne correspond.
placed = Passée le
filter-orders = Filtrer les commandes
every-order-in-the-shop = Toutes les commandes de la boutique.
orders-that-hold-your-products = Les commandes qui contiennent vos produits.
card-stripe = Carte (Stripe)
paypal = PayPal
manual = Manuel
order-items = Articles de la commande
item = Article
qty = Qté
unit-price = Prix unitaire
placed-date = Passée le { $date }
tax = Taxe
record-payment-received-ask = Enregistrer la réception de { $amount } pour la commande { $number } ?
record-payment-office-ask = Enregistrer que { $amount } pour la commande { $number } ont été payés au secrétariat ou par virement ?

## js/admin/products.js

unlimited = Illimité
out-of-stock = En rupture de stock
new-product = Nouveau produit
sku-sku = Réf. { $sku }
name-or-description = Nom ou description
label-main-image = { $label } (image principale)
move-label-earlier = Avancer { $label }
move-label-later = Reculer { $label }
remove-label = Retirer { $label }
images = Images
add-images-jpeg-png-webp = Ajouter des images (JPEG, PNG, WebP)
product-not-found = Produit introuvable
a-download-file-is-attached = Un fichier à télécharger est joint.
no-file-attached-yet = Aucun fichier joint pour l’instant.
attached-value-save-to-keep-it = Joint : { $value }. Enregistrez pour le conserver.
file-buyers-download = Fichier téléchargé par les acheteurs
stock = Stock
units-you-can-ship-now = Unités que vous pouvez expédier tout de suite.
name = Nom
physical-shipped = Physique (expédié)
digital-downloaded = Numérique (téléchargé)
sku = Référence
markdown = Markdown.
create-product = Créer le produit
save-product = Enregistrer le produit
view-in-the-shop = Voir dans la boutique
product-name-created = Produit « { $name } » créé.
the-product-was-saved = Le produit a été enregistré.
delete-name-a-product-that-is = Supprimer « { $name } » ? Un produit présent dans une commande est archivé à la place.
product-deleted-or-archived = Produit supprimé ou archivé.
no-products-match = Aucun produit ne correspond.
try-other-words-or-filters = Essayez d’autres mots ou filtres.
no-products-yet = Pas encore de produits.
add-your-first-product-a-physical = Ajoutez votre premier produit : un article physique avec du stock, ou un téléchargement numérique.
sold = Vendus
filter-products = Filtrer les produits
any-kind = Tous les genres
goods-in-the-shop-stock-prices = Les articles de la boutique : stock, prix, images et téléchargements.
image-value = Image { $value }
new-products-start-as-drafts-unless = Les nouveaux produits sont des brouillons tant que vous ne les publiez pas.

## js/admin/refunds.js

eligible-under-the-refund-policy = ✓ Éligible selon la politique de remboursement
not-eligible-under-the-refund-policy = ✗ Non éligible selon la politique de remboursement
the-goods-must-be-returned-before = Les articles doivent être retournés avant le remboursement.
decide-refund-for-order-value = Décider du remboursement de la commande { $value }
note = Remarque
required-to-reject-the-customer-sees = Obligatoire pour refuser ; le client la voit.
is-required-to-reject = est obligatoire pour refuser
return-received = Retour reçu
return-recorded-the-goods-are-back = Retour enregistré ; les articles sont de nouveau en stock.
retry-refund = Relancer le remboursement
approve-and-refund = Approuver et rembourser
send-the-refund-of-what-again = Envoyer à nouveau le remboursement de { $what } ?
approve-and-pay-back-what-this = Approuver et rembourser { $what } ? Cette action est irréversible.
reject = Refuser
for-order = pour la commande
requested-date = Demandé le { $date }
reason = Motif :
decision-note = Remarque sur la décision :
filter-refunds = Filtrer les remboursements
decide-refund-requests-the-policy-check = Décidez des demandes de remboursement. La vérification de la politique est indiquée pour chacune ; vous pouvez tout de même approuver à la main.
say-why-the-refund-is-rejected = Indiquez pourquoi le remboursement est refusé.
nothing-needs-you = Rien ne vous attend.
new-requests-returns-to-receive-and = Les nouvelles demandes, les retours à réceptionner et les versements à relancer apparaissent ici.
refund-now-status = Remboursement mis à jour. Statut : { $status }.
amount-for-order = { $amount } pour la commande { $number }
no-refund-requests-here = Aucune demande de remboursement ici.
needs-action = À traiter

## js/admin/settings.js

set-hidden = Défini (masqué)
not-in-the-config = Absent de la configuration
server = Serveur
database = Base de données
sign-in = Connexion
store = Boutique
mail = E-mails
media = Médias
rate-limits = Limites de débit
monitoring = Supervision
general = Général
title-settings = Réglages : { $title }
setting = Réglage
value = Valeur
environment-variable = Variable d’environnement
what-this-server-runs-with-the = La configuration avec laquelle ce serveur tourne : fichier de configuration, variables d’environnement et valeurs par défaut réunis. Modifiez une valeur dans le fichier de configuration (ou sa variable d’environnement) puis redémarrez le serveur. La commande schoolhouse config check affiche la même chose.

## js/admin/structure.js

move-kind-name-up = { $kind ->
    [section] Monter la partie « { $name } »
   *[lesson] Monter la leçon « { $name } »
}
move-kind-name-down = { $kind ->
    [section] Descendre la partie « { $name } »
   *[lesson] Descendre la leçon « { $name } »
}
delete-lesson-title = Supprimer la leçon « { $title } »
delete-the-lesson-title-learners-progres = Supprimer la leçon « { $title } » ? La progression des élèves sur cette leçon sera perdue.
lesson-title-deleted = Leçon « { $title } » supprimée.
free-preview = Aperçu gratuit
optional-2 = Facultative
opens-day-available-after-days = Ouvre le jour { $available_after_days }
preview-lesson-title-as-a-learner = Aperçu de la leçon « { $title } » côté élève (s’ouvre dans un nouvel onglet)
section-value = Partie { $value } :
rename = Renommer
rename-section-title = Renommer la partie « { $title } »
rename-section-title-2 = Renommer la partie { $title }
section-title = Titre de la partie
save = Enregistrer
section-renamed = Partie renommée.
delete-section-title = Supprimer la partie « { $title } »
delete-the-section-title = Supprimer la partie « { $title } » ?
section-title-deleted = Partie « { $title } » supprimée.
no-lessons-in-this-section-yet = Pas encore de leçons dans cette partie.
add-lesson = + Ajouter une leçon
to-section-title = à la partie « { $title } »
add-a-section = Ajouter une partie
new-section-title = Titre de la nouvelle partie
e-g-getting-started = par ex. Pour bien commencer
add-section = Ajouter la partie
adding = Ajout…
section-title-added = Partie « { $title } » ajoutée.
this-course-has-no-sections-yet = Ce cours n’a pas encore de parties.
add-a-section-then-add-lessons = Ajoutez une partie, puis des leçons : vidéos, lectures, quiz ou devoirs.
loading-the-course-outline = Chargement du programme du cours…
title-content = { $title } · Contenu
give-the-section-a-title = Donnez un titre à la partie.
lesson-moved = { $direction ->
    [up] « { $title } » monté en position { $position }.
   *[down] « { $title } » descendu en position { $position }.
}
section-moved = { $direction ->
    [up] Partie « { $title } » montée en position { $position }.
   *[down] Partie « { $title } » descendue en position { $position }.
}
delete-the-section-title-and-its = { $n ->
    [one] Supprimer la partie « { $title } » et sa leçon ?
   *[other] Supprimer la partie « { $title } » et ses { $n } leçons ?
}

## js/admin/users.js

on = Activée
off = Désactivée
search-users = Rechercher des utilisateurs
name-or-email = Nom ou e-mail
role = Rôle
all-roles = Tous les rôles
role-of-name = Rôle de { $name }
you-cannot-change-your-own-role = Vous ne pouvez pas changer votre propre rôle
save-role = Enregistrer le rôle
name-is-now-role = { $name } a maintenant le rôle { $role }.
enable = Activer
disable = Désactiver
disable-name-they-are-logged-out = Désactiver { $name } ? Cette personne est déconnectée aussitôt et ne pourra plus se connecter avant d’être réactivée.
you = Vous
disabled = Désactivé
loading-users = Chargement des utilisateurs…
no-users-match = Aucun utilisateur ne correspond.
try-another-name-email-or-role = Essayez un autre nom, e-mail ou rôle.
users-table = Tableau des utilisateurs
user = Utilisateur
mfa = Double authentification
joined = Inscrit le
user-pages = Pages d’utilisateurs
find-people-change-their-role-or = Trouvez des personnes, changez leur rôle ou désactivez un compte.
sign-in-providers = Fournisseurs de connexion
count-user =
    { $count ->
        [one] { $count } utilisateur
       *[other] { $count } utilisateurs
    }
instructor = Formateur
vendor = Vendeur
student = Élève
saved-2 = Enregistré
none-password-only = Aucun (mot de passe uniquement)
make-name-role = Donner à { $name } le rôle « { $role } » ? Ce que cette personne peut voir et modifier suit le nouveau rôle dès son prochain clic.
name-was-enabled = { $name } a été réactivé.
name-was-disabled = { $name } a été désactivé.
bundle = Pack
bundles = Packs

## js/admin/bundles.js

no-bundles-yet = Pas encore de packs.
sell-several-courses-together-at-one = Vendez plusieurs cours ensemble à un prix unique.
new-bundle = Nouveau pack
delete-bundle-name = Supprimer le pack { $name }
delete-bundle-name-confirm = Supprimer le pack « { $name } » ? Un pack déjà commandé est archivé à la place.
bundle-name-removed = Pack « { $name } » supprimé.
saves-amount = { $amount } d’économie
several-courses-sold-together-at-one = Plusieurs cours vendus ensemble à un prix unique.
bundle-not-found = Pack introuvable
courses-in-the-bundle = Cours du pack
publish-a-course-first-only-published = Publiez d’abord un cours : seuls les cours publiés peuvent faire partie d’un pack.
create-bundle = Créer le pack
save-bundle = Enregistrer le pack
bundle-name-created = Pack « { $name } » créé.
the-bundle-was-saved = Le pack a été enregistré.
bundle-name = Pack « { $name } »
bundle-products-included = Produits inclus
bundle-product-shipped = expédié chez vous
bundle-product-download = à télécharger depuis votre commande
bundle-no-products-to-include = Aucun produit publié à inclure. Les produits sont facultatifs.
bundle-includes-products = Comprend { $names }

## js/admin/invoices.js

invoices-and-credit-notes = Factures et avoirs
invoices = Factures
credit-notes = Avoirs
downloading = Téléchargement…
name-downloaded = Fichier { $name } téléchargé.
no-invoices-here = Aucune facture ici.
every-paid-order-gets-an-invoice = Chaque commande payée reçoit une facture, chaque remboursement un avoir.
number = Numéro
pdf = PDF
download-number = Télécharger { $number }
document-kind = { $kind ->
    [invoice] Facture
   *[credit_note] Avoir
}
filter-invoices = Filtrer les factures
issued-from = Émis à partir du
issued-to = Émis jusqu’au
download-period-zip = Télécharger la période (ZIP)
issued-documents-never-change = Les documents émis ne changent jamais : une correction se fait par un avoir. Le ZIP contient tous les documents émis entre les dates choisies (les 30 derniers jours à défaut).

## js/admin/tax.js

domestic = National
oss-other-member-state = OSS (autre État membre)
reverse-charge = Autoliquidation
outside-the-eu = Hors UE
tax-row-kind = { $kind ->
    [goods] Articles
    [shipping] Livraison
   *[other] { $kind }
}
tax-per-country-scheme-and-rate = Taxe par pays, régime et taux
scheme = Régime
rate = Taux
sales = Ventes
tax-on-sales = Taxe sur les ventes
tax-refunded = Taxe remboursée
net-taxable = Base imposable nette
tax-due = Taxe due
oss-return-quarter = Déclaration OSS { $quarter }
member-state-of-consumption = État membre de consommation
taxable-amount = Base imposable
vat = TVA
oss-quarter = Trimestre OSS
paid-orders-and-processed-refunds-appear = Les commandes payées et les remboursements traités apparaissent ici.
nothing-to-declare-through-oss-this = Rien à déclarer via l’OSS ce trimestre.
sales-to-consumers-in-other-member = Les ventes aux consommateurs d’autres États membres apparaissent ici.
sales-refunds-and-tax-due-per = Ventes, remboursements et taxe due par pays et par taux ; la déclaration OSS trimestrielle de l’UE.
tax-report = Rapport de taxes
download-csv = Télécharger le CSV
download-oss-csv = Télécharger le CSV OSS

## js/pages/bundles.js

count-course = { $count ->
    [one] { $count } cours
   *[other] { $count } cours
}
save-amount = — économisez { $amount }
search-bundles = Rechercher des packs
several-courses-together-for-less-than = Plusieurs cours ensemble, pour moins cher qu’un par un.
no-bundles-found = Aucun pack trouvé.
try-other-words = Essayez d’autres mots.
none-are-for-sale-yet = Aucun n’est encore en vente.
this-bundle-does-not-exist-or = Ce pack n’existe pas ou n’est plus en vente.
browse-bundles = Parcourir les packs
courses-included = Cours inclus
amount-less-than-the-courses-one-by-one = { $amount } de moins que les cours achetés un par un

## js/pages/checkout.js

vat-number-businesses-optional = Numéro de TVA (entreprises, facultatif)
eu-vat-is-charged-at-the = La TVA européenne est appliquée au taux du pays où vous vivez. Les entreprises d’un autre pays de l’UE ayant un numéro de TVA valide ne paient pas de TVA ici (autoliquidation).

## js/pages/orders.js

invoice-and-credit-notes = Facture et avoirs
download-pdf = Télécharger le PDF

## captions

transcript = Transcription
transcript-hint = Ce qui est dit dans la vidéo, en texte brut ou en Markdown ; les apprenants la lisent sous le lecteur.
captions = Sous-titres
caption-why = Les sous-titres permettent aux apprenants qui ne peuvent pas entendre la vidéo de la suivre : un fichier WebVTT (.vtt) par langue. Envoyer à nouveau une langue remplace son fichier.
caption-save-first = Enregistrez la leçon en tant que vidéo pour ajouter des sous-titres (fichiers WebVTT) par langue.
caption-none-yet = Pas encore de sous-titres.
caption-view-file = Voir le fichier
caption-remove = Retirer
caption-removing = Retrait…
caption-label-removed = Sous-titres « { $label } » retirés.
caption-add = Ajouter des sous-titres
caption-language = Langue
caption-language-hint = Un code de langue comme en, fr ou pt-BR.
caption-label = Nom affiché dans le lecteur
caption-label-placeholder = Français
caption-file = Fichier WebVTT
caption-upload = Envoyer les sous-titres
caption-uploading = Envoi…
caption-label-saved = Sous-titres « { $label } » enregistrés.
caption-missing-chip = Sans sous-titres
caption-published-videos-without = { $count ->
        [one] Ce cours est publié et une leçon vidéo n’a pas de sous-titres : les apprenants qui ne peuvent pas l’entendre ne peuvent pas la suivre.
       *[other] Ce cours est publié et { $count } leçons vidéo n’ont pas de sous-titres : les apprenants qui ne peuvent pas les entendre ne peuvent pas les suivre.
    }
caption-videos-without = { $count ->
        [one] des sous-titres sur une leçon vidéo
       *[other] des sous-titres sur { $count } leçons vidéo
    }
## memberships UI

memberships = Abonnements
my-membership = Mon abonnement
membership-nav = Abonnement
membership-plans = Formules d’abonnement
membership-plans-lead = Chaque cours couvert par une formule vous est ouvert tant qu’elle est payée. Résiliable à tout moment.
membership-no-plans = Aucune formule d’abonnement pour l’instant.
membership-price-per = { $amount } par { $interval ->
    [year] an
   *[other] mois
}
membership-instalments = { $count } × { $amount }, { $interval ->
    [year] par an
   *[other] par mois
}
membership-trial-days = { $count ->
    [one] { $count } jour d’essai gratuit
   *[other] { $count } jours d’essai gratuit
}
membership-covers-all = Tous les cours
membership-covers-category = Tous les cours de { $category }
membership-covers-courses = { $count ->
    [one] Ce cours :
   *[other] Ces { $count } cours :
}
membership-plan-owns = Payé en plusieurs fois ; le cours vous appartient définitivement après la dernière échéance :
membership-plan-owns-bundle = Le pack « { $bundle } », payé en plusieurs fois ; chacun de ses cours vous appartient définitivement après la dernière échéance :
membership-plan-bundle-name = Pack « { $bundle } »
membership-choose-plan = Choisir { $name }
membership-you-have-this-plan = Vous avez cette formule.
membership-subscribe-to = S’abonner à { $name }
membership-cards-off = Le paiement par carte n’est pas disponible ici pour le moment. Demandez à l’école comment vous abonner.
membership-charge-now = Vous payez { $amount } aujourd’hui, puis chaque { $interval ->
    [year] année
   *[other] mois
} jusqu’à la résiliation.
membership-charge-after-trial = Gratuit pendant { $count } jours, puis { $amount } par { $interval ->
    [year] an
   *[other] mois
} jusqu’à la résiliation.
membership-charge-instalments = Vous payez { $amount } aujourd’hui, puis chaque { $interval ->
    [year] année
   *[other] mois
} jusqu’au paiement des { $count } échéances.
membership-cancel-any-time = Vous pouvez résilier à tout moment depuis Mon abonnement ; l’accès reste ouvert jusqu’à la fin de la période payée.
membership-subscribe = S’abonner
membership-subscribing = Abonnement en cours…
membership-started = Votre abonnement a commencé.
membership-welcome = Bienvenue ! Votre abonnement est actif.
membership-welcome-trial = Bienvenue ! Votre essai gratuit a commencé.
membership-declined = Votre carte a été refusée. Rien n’a été débité et aucun abonnement n’a été créé. Essayez une autre carte.
membership-status-trialing = Essai gratuit
membership-status-active = Actif
membership-status-past-due = Paiement en retard
membership-status-paused = En pause
membership-status-cancelled = Résilié
membership-status-expired = Terminé
membership-date = Date
membership-amount = Montant
membership-invoices = Factures
membership-invoices-of = Factures de { $name }
membership-no-invoices = Aucune facture pour l’instant.
membership-invoice-paid = Payée
membership-invoice-failed = Paiement échoué
membership-next-charge = Prochain prélèvement : { $amount } le { $date }.
membership-ends-on = Résilié : votre abonnement prend fin le { $date }. Vos cours restent ouverts jusque-là.
membership-ended-on = Cet abonnement a pris fin le { $date }.
membership-paid-off = Toutes les échéances sont payées : le cours vous appartient.
membership-comp = Offert par l’école.
membership-manual-until = Payé jusqu’au { $date } (à l’école).
membership-instalments-paid = Échéances payées : { $paid } sur { $count }.
membership-past-due = Le paiement dû le { $date } n’a pas été reçu ; vos cours restent ouverts quelques jours en attendant. Contactez l’école pour payer.
membership-past-due-card = Votre dernier paiement a échoué : mettez à jour votre carte pour garder l’accès.
membership-past-due-since = Le paiement du { $date } a été refusé. Vos cours restent ouverts quelques jours en attendant ; Stripe réessaie aussi votre carte.
membership-update-card = Mettre à jour la carte
membership-card-title = Nouvelle carte pour { $name }
membership-card-lead = La nouvelle carte servira aux prochains prélèvements ; rien n’est débité maintenant.
membership-card-lead-overdue = Le paiement en retard ({ $amount }) est débité tout de suite sur la nouvelle carte, et votre abonnement redevient actif.
membership-card-save = Enregistrer la carte
membership-card-pay = Payer { $amount } avec cette carte
membership-card-saving = Enregistrement de la carte…
membership-card-keep = Garder l’ancienne carte
membership-card-saved = Votre nouvelle carte est enregistrée ; les prochains prélèvements l’utiliseront.
membership-card-paid = Votre nouvelle carte a réglé le montant en retard : votre abonnement est de nouveau actif.
membership-paused = Cet abonnement est en pause : ses cours sont fermés jusqu’à sa reprise.
membership-cancel = Résilier à la fin de la période
membership-cancel-confirm = Résilier votre abonnement ? Il reste actif jusqu’au { $date }, et plus rien n’est prélevé.
membership-cancelled-notice = Votre abonnement est résilié. Il prend fin le { $date } ; vos cours restent ouverts jusque-là.
membership-resume = Garder mon abonnement
membership-resume-confirm = Garder votre abonnement ? Il se renouvelle à la fin de la période comme avant.
membership-resumed-notice = Votre abonnement continue ; il se renouvelle comme avant.
membership-switch-to = Passer à { $name } ({ $price })
membership-switch-confirm = Passer à { $name } ({ $price }) ? Stripe calcule au prorata : le temps non utilisé de cette période est déduit du nouveau prix.
membership-switch-prorates = Le passage du mensuel à l’annuel (ou l’inverse) est calculé au prorata par Stripe : le temps non utilisé vous est crédité.
membership-switched-notice = Vous êtes maintenant sur { $name }.
membership-none = Vous n’avez pas d’abonnement.
membership-none-text = Un abonnement ouvre des cours tant qu’il est payé.
membership-see-plans = Voir les formules d’abonnement
membership-included = Inclus dans votre abonnement ({ $name }).
membership-or-included = { $count ->
    [one] Ou inclus dans l’abonnement { $name }.
   *[other] Ou inclus dans { $count } formules d’abonnement.
}
membership-or-instalments = Ou payez en plusieurs fois : { $price }.
membership-admin-lead = Formules, abonnés et revenus récurrents.
membership-new-plan = Nouvelle formule
membership-report = Rapport
membership-report-period = Période du rapport
membership-from = Du
membership-to = Au
membership-mrr = Revenu mensuel récurrent
membership-active-members = Abonnés actifs
membership-new-members = Nouveaux abonnés
membership-churned-members = Abonnés partis
membership-recovery = Paiements échoués récupérés
membership-recovered-of = { $recovered } sur { $failed }
membership-trial = Essai
membership-covers = Couvre
membership-members = Abonnés
membership-member = Abonné
membership-plan = Formule
membership-period-end = Payé jusqu’au
membership-gateway = Payé par
membership-gateway-stripe = Carte
membership-gateway-manual = À l’école (manuel)
membership-gateway-comp = Gratuit (offert)
membership-ends-at-period-end = prend fin à la fin de la période
membership-filter = Filtrer les abonnés
membership-all-states = Tous les états
membership-no-members = Aucun abonné pour l’instant.
membership-record-period = Enregistrer une période payée
membership-record-period-for = Enregistrer une période payée pour { $email }
membership-record-period-confirm = Enregistrer que { $email } a payé la période suivante ({ $price }) ?
membership-period-recorded = La période est enregistrée comme payée.
membership-cancel-now = Résilier maintenant
membership-cancel-for = Résilier maintenant l’abonnement de { $email }
membership-cancel-now-confirm = Mettre fin maintenant à l’abonnement de { $email } ? Ses cours se ferment immédiatement.
membership-cancelled-by-staff = L’abonnement est résilié.
membership-give = Offrir un abonnement
membership-member-email = E-mail de l’abonné
membership-give-button = Attribuer l’abonnement
membership-no-such-user = Aucun compte n’a cette adresse e-mail.
membership-given = { $email } a maintenant l’abonnement.
membership-interval = Période de facturation
membership-monthly = Mensuel
membership-yearly = Annuel
membership-trial-label = Essai gratuit (jours)
membership-cycles-label = Échéances (paiement en plusieurs fois)
membership-cycles-hint = Laissez vide pour un abonnement. De 2 à 60 échéances vendent un seul cours (choisissez-le ci-dessous), acquis après la dernière.
membership-plan-sells = Vendu en plusieurs fois
membership-plan-sells-hint = Un cours (choisi ci-dessous), ou un pack publié : tous ses cours s’ouvrent aussitôt et vous appartiennent après la dernière échéance.
membership-plan-sells-course = Un cours
membership-plan-sells-bundle = Un pack : { $bundle }
membership-price-hint = Par période, ou par échéance.
membership-scope-category = Une catégorie
membership-scope-courses = Des cours choisis
membership-category = Catégorie
membership-plan-courses = Cours
membership-switch-plan = Formule sœur (mensuelle/annuelle)
membership-switch-plan-hint = La formule vers laquelle les abonnés peuvent basculer (Stripe calcule au prorata).
membership-create-plan = Créer la formule
membership-plan-created = Formule { $name } créée.
list-count-member = { $count ->
    [one] { $count } abonné
   *[other] { $count } abonnés
}
list-loading-member = Chargement des abonnés…
list-pages-member = Pages d’abonnés

## Notes the system writes on an order's history (commerce::history_note)
order-note-placed = commande passée
order-note-nothing-to-pay = rien à payer
order-note-payment-received = paiement reçu
order-note-nothing-to-ship = rien à expédier
order-note-refund-processed = remboursement effectué
order-note-cancelled-and-refunded = annulée et remboursée
order-note-refunded-at-stripe = remboursée depuis Stripe
order-note-refunded-at-paypal = remboursée depuis PayPal
order-note-reversed-at-paypal = paiement contesté et repris par PayPal
order-note-cancelled-by-buyer = annulée par l’acheteur
order-note-cancelled-by-staff = annulée par l’équipe
order-note-cancelled = commande annulée
order-note-manual-hold-lapsed = paiement manuel non confirmé sous { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }
order-note-hold-lapsed = paiement non reçu sous { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
