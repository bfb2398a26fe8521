# Les textes du serveur en français : mails, messages d'erreur, certificat, export des données.
# Chaque clé de en/server.ftl existe ici et inversement (un test unitaire le vérifie).

locale-name = Français
locale-dir = ltr

## Problèmes : le titre de chaque statut et les détails qu'un utilisateur lit.

problem-title-400 = Requête incorrecte
problem-title-401 = Non authentifié
problem-title-402 = Paiement requis
problem-title-403 = Accès refusé
problem-title-404 = Introuvable
problem-title-405 = Méthode non autorisée
problem-title-409 = Conflit
problem-title-410 = N'existe plus
problem-title-413 = Contenu trop volumineux
problem-title-415 = Type de contenu non pris en charge
problem-title-422 = Données invalides
problem-title-429 = Trop de requêtes
problem-title-500 = Erreur interne du serveur
problem-title-503 = Service indisponible

problem-not-found = { $thing } introuvable
problem-detail-bad-login = l'adresse e-mail ou le mot de passe est incorrect
problem-detail-disabled = ce compte est désactivé
problem-detail-token-invalid = le jeton d'accès est invalide ou a expiré
problem-detail-session-ended = cette session est terminée ; reconnectez-vous
problem-detail-log-in-first = connectez-vous d'abord : envoyez un jeton d'accès `Authorization: Bearer`
problem-detail-no-refresh = aucun jeton de renouvellement n'a été envoyé
problem-detail-enrol-lesson = inscrivez-vous à ce cours pour ouvrir cette leçon
problem-detail-enrol-lessons = inscrivez-vous à ce cours pour ouvrir ses leçons
problem-detail-revoked = votre inscription à ce cours a été révoquée
problem-detail-review-enrolled = seuls les apprenants inscrits à ce cours peuvent le noter
problem-detail-reviewed = vous avez déjà donné votre avis sur ce cours
problem-detail-email-taken = un compte existe déjà avec cette adresse e-mail
problem-detail-cert-revoked = ce certificat a été révoqué
problem-detail-signed-only = ce fichier n'est servi que par une adresse signée
problem-detail-no-route = aucune ressource ni route à cette adresse
problem-detail-method = cette méthode n'est pas autorisée sur cette ressource
problem-detail-too-large = le corps de la requête dépasse ce que cette adresse accepte
problem-detail-internal = une erreur inattendue s'est produite ; elle a été enregistrée avec l'identifiant de cette requête
problem-detail-busy = la base de données est occupée ; réessayez
problem-detail-locale = doit être l'une des langues disponibles (GET /api/i18n)
problem-detail-language = doit être un code de langue comme en, fr ou pt-BR
problem-detail-captions-video = les sous-titres ne s'ajoutent qu'aux leçons vidéo
problem-detail-caption-text = un fichier de sous-titres doit être du texte UTF-8 (WebVTT)
problem-detail-caption-vtt = un fichier de sous-titres doit être au format WebVTT : sa première ligne est WEBVTT
problem-detail-caption-language = doit être une étiquette de langue BCP 47 comme en, fr ou pt-BR
problem-detail-caption-label = doit compter de 1 à 100 caractères, sans caractère de contrôle
problem-detail-transcript-long = doit compter au plus 100000 caractères
problem-detail-transcript-video = ne s'applique qu'aux leçons vidéo

## Fixed problem messages, found by their English text (the code writes that text).

problem-detail-must-be-the-index-from-0 = doit être le numéro (à partir de 0) de la bonne option
problem-detail-must-be-a-list-of-one = doit être une liste d'un ou plusieurs numéros (à partir de 0) des bonnes options
problem-detail-the-refresh-token-is-not-valid = le jeton de renouvellement n'est pas valide
problem-detail-must-be-an-eu-vat-number = doit être un numéro de TVA de l'UE commençant par le préfixe de son pays, comme DE123456789
problem-detail-must-start-with-the-prefix-of = doit commencer par le préfixe d'un État membre de l'UE (EL pour la Grèce)
problem-detail-must-have-2-to-12-letters = doit compter de 2 à 12 lettres ou chiffres après le préfixe du pays
problem-detail-a-quiz-lesson-is-completed-by = une leçon de quiz se termine par une tentative réussie
problem-detail-an-assignment-lesson-is-completed-by = une leçon de devoir se termine par une note suffisante
problem-detail-a-video-or-reading-lesson-is = une leçon vidéo ou de lecture se termine en la marquant comme faite
problem-detail-the-mfa-token-is-not-valid = le jeton de double authentification n'est pas valide ; reconnectez-vous
problem-detail-the-mfa-token-has-expired-or = le jeton de double authentification a expiré ou a déjà servi ; reconnectez-vous
problem-detail-your-payment-is-overdue-update-your = votre paiement est en retard : mettez à jour votre carte pour rouvrir ce cours (votre progression est conservée)
problem-detail-your-membership-is-paused-your-progress = votre adhésion est en pause (votre progression est conservée)
problem-detail-the-membership-that-opened-this-course = l'adhésion qui ouvrait ce cours a pris fin (votre progression est conservée)
problem-detail-unsupported-content-type = type de contenu non pris en charge
problem-detail-the-request-took-too-long = la requête a pris trop de temps
problem-detail-an-unexpected-error-occurred = une erreur inattendue s'est produite
problem-detail-the-request-could-not-be-processed = la requête n'a pas pu être traitée
problem-detail-mfa-is-already-on-for-this = la double authentification est déjà active sur ce compte ; désactivez-la d'abord pour la configurer à nouveau
problem-detail-mfa-is-not-on-for-this = la double authentification n'est pas active sur ce compte
problem-detail-paypal-could-not-be-reached-deliver = PayPal est injoignable ; renvoyez l'événement plus tard
problem-detail-paypal-is-not-enabled-on-this = PayPal n'est pas activé sur ce serveur
problem-detail-stripe-is-not-enabled-on-this = Stripe n'est pas activé sur ce serveur
problem-detail-a-category-cannot-sit-under-itself = une catégorie ne peut pas être placée sous elle-même ni sous l'une de ses sous-catégories
problem-detail-a-coupon-with-this-code-already = un code promo avec ce code existe déjà
problem-detail-a-course-id-is-empty = un identifiant de cours est vide
problem-detail-a-payment-for-this-order-is = un paiement est en cours de création pour cette commande ; réessayez
problem-detail-a-payment-plan-has-no-monthlyyearly = un paiement échelonné n'a pas d'équivalent mensuel ou annuel
problem-detail-a-payment-plan-runs-to-its = un paiement échelonné court jusqu'à sa dernière échéance ; demandez à l'équipe de l'annuler
problem-detail-a-quiz-needs-1-to-200 = un quiz doit compter de 1 à 200 questions
problem-detail-a-reading-lesson-needs-a-markdown = une leçon de lecture demande un texte Markdown d'au plus 200 000 caractères
problem-detail-a-video-lesson-needs-exactly-one = une leçon vidéo demande exactement l'un de content_url ou media_id
problem-detail-admins-must-set-up-mfa-first = les administrateurs doivent d'abord configurer la double authentification : POST /api/users/me/mfa/setup, puis confirmer un code avec POST /api/users/me/mfa/confirm
problem-detail-an-account-already-uses-this-email = un compte utilise déjà cette adresse e-mail : connectez-vous avec son mot de passe pour lier ce fournisseur
problem-detail-an-archive-downloads-only-with-a = une archive ne se télécharge qu'avec un jeton ou par un lien signé
problem-detail-an-assignment-needs-instructions-of-at = un devoir demande des consignes d'au plus 50 000 caractères
problem-detail-another-product-has-this-sku = un autre produit a déjà ce SKU
problem-detail-applies-only-to-singlechoice-and-multiplechoice = ne s'applique qu'aux questions single_choice et multiple_choice
problem-detail-applies-to-courses-only = ne s'applique qu'aux cours
problem-detail-applies-to-digital-products-only = ne s'applique qu'aux produits numériques
problem-detail-applies-to-products-only = ne s'applique qu'aux produits
problem-detail-applies-to-quiz-lessons-only = ne s'applique qu'aux leçons de quiz
problem-detail-at-most-20-images = 20 images au plus
problem-detail-at-most-20-tags = 20 étiquettes au plus
problem-detail-can-only-be-given-when-marking = ne peut être donné qu'en marquant la commande comme expédiée
problem-detail-card-payments-stripe-are-not-enabled = les paiements par carte (Stripe) ne sont pas activés ici
problem-detail-email-is-already-registered = cette adresse e-mail est déjà enregistrée
problem-detail-every-item-of-this-order-is = chaque article de cette commande est déjà couvert par un remboursement
problem-detail-expected-a-request-body-with-content = un corps de requête avec Content-Type: application/json est attendu
problem-detail-give-exactly-one-of-percent-and = indiquez exactement l'un de percent et fixed_cents
problem-detail-is-already-listed-above = figure déjà plus haut
problem-detail-is-answered-more-than-once = a reçu plusieurs réponses
problem-detail-is-incorrect = est incorrect
problem-detail-is-not-a-lesson-of-this = n'est pas une leçon de ce cours
problem-detail-is-not-a-question-of-this = n'est pas une question de ce quiz
problem-detail-is-not-the-current-code-from = n'est pas le code actuel de votre application d'authentification
problem-detail-is-not-this-plans-monthlyyearly-alternative = n'est pas l'équivalent mensuel ou annuel de cette formule
problem-detail-is-one-of-the-most-commonly = fait partie des mots de passe les plus courants ; choisissez-en un autre
problem-detail-is-required = est obligatoire
problem-detail-is-required-for-choice-questions = est obligatoire pour les questions à choix
problem-detail-is-required-for-physical-items = est obligatoire pour les articles physiques
problem-detail-is-required-for-physical-products = est obligatoire pour les produits physiques
problem-detail-is-required-eu-vat-is-charged = est obligatoire : la TVA de l'UE est facturée au taux de votre pays de résidence
problem-detail-is-required-enter-your-current-password = est obligatoire : saisissez votre mot de passe actuel pour faire ce changement
problem-detail-is-required-video-reading-quiz-or = est obligatoire : video, reading, quiz ou assignment
problem-detail-is-too-large = est trop grand
problem-detail-learners-have-records-for-this-lesson = des apprenants ont des données pour cette leçon
problem-detail-learners-have-records-in-this-sections = des apprenants ont des données dans les leçons de cette section
problem-detail-may-hold-only-letters-digits-and = ne peut contenir que des lettres, des chiffres, « - » et « _ »
problem-detail-metrics-are-not-available-in-this = les métriques ne sont pas disponibles dans ce processus
problem-detail-must-be-1-to-100-characters = doit compter de 1 à 100 caractères
problem-detail-must-be-1-to-200-characters = doit compter de 1 à 200 caractères
problem-detail-must-be-1-to-2000-characters = doit compter de 1 à 2 000 caractères
problem-detail-must-be-1-to-64-characters = doit compter de 1 à 64 caractères
problem-detail-must-be-2-to-20-non = doit compter de 2 à 20 textes non vides d'au plus 500 caractères
problem-detail-must-be-utf-8-text = doit être du texte UTF-8
problem-detail-must-be-comp-or-manual-card = doit valoir `comp` ou `manual` ; les adhésions par carte sont ouvertes par le membre
problem-detail-must-be-a-stripe-paymentmethod-id = doit être un identifiant de PaymentMethod Stripe (pm_...)
problem-detail-must-be-a-date-yyyy-mm = doit être une date AAAA-MM-JJ
problem-detail-must-be-a-date-like-2026 = doit être une date comme 2026-01-31
problem-detail-must-be-a-quarter-like-2026 = doit être un trimestre comme 2026-Q1
problem-detail-must-be-a-two-letter-iso = doit être un code ISO 3166-1 à deux lettres
problem-detail-must-be-a-two-letter-iso-2 = doit être un code pays ISO 3166-1 à deux lettres comme DE
problem-detail-must-be-a-valid-email-address = doit être une adresse e-mail valide
problem-detail-must-be-a-whole-number-from = doit être un nombre entier de 1 à 5
problem-detail-must-be-all-products-courses-or = doit valoir all, products, courses ou items
problem-detail-must-be-an-rfc-3339-time = doit être une heure RFC 3339
problem-detail-must-be-an-rfc-3339-time-2 = doit être une heure RFC 3339 ou une date AAAA-MM-JJ
problem-detail-must-be-an-https-url-of = doit être une URL http(s) d'au plus 2 000 caractères
problem-detail-must-be-at-least-1 = doit valoir au moins 1
problem-detail-must-be-at-most-1024-bytes = doit compter au plus 1 024 octets
problem-detail-must-be-at-most-200-characters = doit compter au plus 200 caractères
problem-detail-must-be-at-most-254-characters = doit compter au plus 254 caractères
problem-detail-must-be-at-most-500-characters = doit compter au plus 500 caractères
problem-detail-must-be-at-most-50000-characters = doit compter au plus 50 000 caractères
problem-detail-must-be-at-most-64-characters = doit compter au plus 64 caractères
problem-detail-must-be-between-0-and-100 = doit être compris entre 0 et 100
problem-detail-must-be-between-0-and-1000000 = doit être compris entre 0 et 1 000 000
problem-detail-must-be-between-0-and-1000000000 = doit être compris entre 0 et 1 000 000 000 (en centimes)
problem-detail-must-be-between-0-and-3650 = doit être compris entre 0 et 3 650
problem-detail-must-be-between-0-and-maxscore = doit être compris entre 0 et max_score
problem-detail-must-be-between-1-and-100 = doit être compris entre 1 et 100
problem-detail-must-be-between-1-and-100-2 = doit être compris entre 1 et 100, ou null pour illimité
problem-detail-must-be-between-1-and-1000 = doit être compris entre 1 et 1 000
problem-detail-must-be-between-1-and-10000 = doit être compris entre 1 et 10 000
problem-detail-must-be-between-1-and-1000000 = doit être compris entre 1 et 1 000 000
problem-detail-must-be-between-1-and-3650 = doit être compris entre 1 et 3 650
problem-detail-must-be-day-week-or-month = doit valoir day, week ou month
problem-detail-must-be-invoice-or-creditnote = doit valoir invoice ou credit_note
problem-detail-must-be-json-or-csv = doit valoir json ou csv
problem-detail-must-be-null-for-digital-products = doit être null pour les produits numériques (leur stock est illimité)
problem-detail-must-be-request-or-job = doit valoir request ou job
problem-detail-must-differ-from-the-current-password = doit être différent du mot de passe actuel
problem-detail-must-have-at-most-500-answers = doit compter au plus 500 réponses
problem-detail-must-list-every-current-id-exactly = doit citer chaque identifiant actuel exactement une fois, dans le nouvel ordre
problem-detail-must-name-a-plan-billed-at = doit nommer une formule facturée à l'autre fréquence (mensuelle <-> annuelle)
problem-detail-must-name-at-least-one-item = doit nommer au moins un article
problem-detail-must-name-at-least-one-order = doit nommer au moins un article de la commande
problem-detail-must-not-be-after-to = ne doit pas être postérieur à `to`
problem-detail-must-not-be-below-minprice = ne doit pas être inférieur à min_price
problem-detail-must-not-be-empty = ne doit pas être vide
problem-detail-must-not-be-negative = ne doit pas être négatif
problem-detail-must-not-contain-control-characters = ne doit pas contenir de caractères de contrôle
problem-detail-needs-scope-items = demande scope = "items"
problem-detail-no-mfa-enrolment-is-pending-start = aucune configuration de double authentification n'est en cours ; commencez par POST /api/users/me/mfa/setup
problem-detail-no-admin-exists-to-take-over = aucun administrateur ne peut reprendre les cours et produits de ce compte
problem-detail-no-provider-sign-in-is-waiting = aucune connexion par fournisseur n'attend d'être liée dans ce navigateur
problem-detail-no-such-category = catégorie introuvable
problem-detail-no-such-plan = formule introuvable
problem-detail-no-such-section-in-this-course = cette section n'existe pas dans ce cours
problem-detail-no-such-user = utilisateur introuvable
problem-detail-no-uploaded-file-has-this-id = aucun fichier envoyé n'a cet identifiant
problem-detail-no-user-has-this-id = aucun utilisateur n'a cet identifiant
problem-detail-only-a-comp-has-a-set = seule une adhésion offerte a une durée fixe ; une adhésion manuelle court par périodes enregistrées
problem-detail-only-a-live-card-membership-can = seule une adhésion par carte en cours peut changer de formule
problem-detail-only-a-manual-membership-has-periods = seule une adhésion manuelle a des périodes enregistrées à la main
problem-detail-only-digital-products-are-downloaded-courses = seuls les produits numériques se téléchargent ; les cours sont dans vos cours et les biens physiques sont expédiés
problem-detail-only-manual-payments-are-confirmed-by = seuls les paiements manuels sont confirmés par l'équipe ; Stripe confirme les siens
problem-detail-only-orders-whose-physical-items-are = vous ne pouvez mettre à jour que les commandes dont tous les articles physiques sont à vous
problem-detail-payments-at-the-office-or-by = les paiements au bureau ou par virement sont désactivés (payments.gateways)
problem-detail-refused-after-writing = refusé après écriture
problem-detail-send-authorization-bearer-metricstoken = envoyez `Authorization: Bearer <metrics.token>`
problem-detail-send-a-text-a-url-or = envoyez un texte, une url ou un media_id
problem-detail-send-multipartform-data-with-a-file = envoyez du multipart/form-data avec un champ `file`
problem-detail-setup-is-complete-an-admin-account = l'installation est terminée : un compte administrateur existe déjà
problem-detail-the-card-was-declined-nothing-was = la carte a été refusée ; rien n'a été débité et aucune adhésion n'a été ouverte
problem-detail-the-cart-is-empty = le panier est vide
problem-detail-the-code-is-not-valid-use = le code n'est pas valide ; utilisez le code actuel de votre application d'authentification ou un code de secours inutilisé
problem-detail-the-database-writer-stopped = l'écriture en base de données s'est arrêtée
problem-detail-the-event-has-no-id-or = l'événement n'a pas d'id ni d'event_type
problem-detail-the-orders-total-changed-since-this = le total de la commande a changé depuis l'ouverture de ce paiement
problem-detail-the-password-is-not-correct = le mot de passe n'est pas correct
problem-detail-the-server-is-shutting-down = le serveur s'arrête
problem-detail-the-setup-token-is-not-valid = le jeton d'installation n'est pas valide
problem-detail-the-sign-in-provider-cannot-be = le fournisseur de connexion est injoignable ; réessayez plus tard
problem-detail-the-worker-thread-stopped = le fil de travail s'est arrêté
problem-detail-there-is-no-such-coupon = ce code promo n'existe pas
problem-detail-this-account-has-already-been-erased = ce compte a déjà été effacé
problem-detail-this-account-is-disabled-contact-the = ce compte est désactivé ; contactez l'école
problem-detail-this-assignment-has-already-been-graded = ce devoir a déjà été noté comme réussi
problem-detail-this-category-has-sub-categories-move = cette catégorie a des sous-catégories ; déplacez-les ou supprimez-les d'abord
problem-detail-this-course-is-already-in-your = ce cours est déjà dans votre panier
problem-detail-this-is-not-a-paypal-payment = ce n'est pas un paiement PayPal
problem-detail-this-is-the-only-admin-account = c'est le seul compte administrateur ; nommez d'abord un autre administrateur
problem-detail-this-is-your-only-way-to = c'est votre seul moyen de connexion : définissez d'abord un mot de passe (avec « Mot de passe oublié ») ou liez un autre fournisseur
problem-detail-this-item-is-being-refunded-or = cet article est en cours de remboursement ou a été remboursé : il ne peut plus être téléchargé
problem-detail-this-link-has-expired-ask-for = ce lien a expiré ; demandez-en un nouveau
problem-detail-this-link-request-has-expired-sign = cette demande de liaison a expiré ; reconnectez-vous avec le fournisseur
problem-detail-this-links-signature-is-invalid = la signature de ce lien n'est pas valide
problem-detail-this-login-link-has-already-been = ce lien de connexion a déjà servi
problem-detail-this-member-already-has-this-plan = ce membre a déjà cette formule
problem-detail-this-membership-already-ends-at-the = cette adhésion prend déjà fin à la fin de sa période
problem-detail-this-membership-is-already-on-that = cette adhésion est déjà sur cette formule
problem-detail-this-membership-is-not-cancelled = cette adhésion n'est pas résiliée
problem-detail-this-order-is-paid-cancelling-it = cette commande est payée : l'annuler demande de rembourser le paiement
problem-detail-this-plan-has-no-monthlyyearly-alternative = cette formule n'a pas d'équivalent mensuel ou annuel
problem-detail-this-provider-account-is-already-linked = ce compte de fournisseur est déjà lié à un autre compte
problem-detail-this-quiz-has-no-questions-yet = ce quiz n'a pas encore de questions
problem-detail-this-refresh-token-was-already-used = ce jeton de renouvellement a déjà servi ; la session a été fermée par sécurité
problem-detail-this-setup-link-has-already-been = ce lien d'installation a déjà servi
problem-detail-this-setup-link-has-expired-restart = ce lien d'installation a expiré ; redémarrez le serveur pour en obtenir un nouveau
problem-detail-this-slug-is-taken = ce slug est déjà pris
problem-detail-this-submission-has-already-been-graded = ce rendu a déjà été noté
problem-detail-to-erase-your-own-account-use = pour effacer votre propre compte, utilisez DELETE /api/users/me avec votre mot de passe
problem-detail-vendors-may-only-mark-orders-shipped = les vendeurs ne peuvent marquer les commandes que comme expédiées ou livrées
problem-detail-you-already-have-this-plan = vous avez déjà cette formule
problem-detail-you-are-already-enrolled-in-every = vous êtes déjà inscrit à tous les cours de ce lot
problem-detail-you-are-already-enrolled-in-this = vous êtes déjà inscrit à ce cours
problem-detail-you-cannot-disable-your-own-account = vous ne pouvez pas désactiver votre propre compte ; demandez à un autre administrateur
problem-detail-you-cannot-remove-your-own-admin = vous ne pouvez pas retirer votre propre rôle d'administrateur ; demandez à un autre administrateur
problem-detail-you-have-already-reviewed-this-course = vous avez déjà donné votre avis sur ce cours ; modifiez plutôt votre avis
problem-detail-the-provider-has-not-verified-this = le fournisseur n'a pas vérifié cette adresse e-mail ; vérifiez-la d'abord chez lui
problem-detail-accounts-of-this-email-domain-may = les comptes de ce domaine de messagerie ne peuvent pas se connecter avec ce fournisseur
problem-detail-no-account-uses-this-email-and = aucun compte n'utilise cette adresse e-mail, et l'inscription avec ce fournisseur est fermée
problem-detail-must-be-1-100-lower-case = doit compter de 1 à 100 lettres minuscules, chiffres et tirets simples, par exemple `intro-to-rust`
problem-detail-choose-a-shipping-method-for-the = choisissez un mode de livraison pour les articles physiques
problem-detail-a-shipping-country-is-needed-for = un pays de livraison est nécessaire pour les articles physiques
problem-detail-the-amounts-in-this-cart-are = les montants de ce panier sont trop élevés pour être traités
problem-detail-this-coupon-is-not-valid-yet = ce code promo n'est pas encore valable
problem-detail-this-coupon-has-expired = ce code promo a expiré
problem-detail-this-coupon-has-been-used-up = ce code promo est épuisé
problem-detail-you-have-already-used-this-coupon = vous avez déjà utilisé ce code promo autant de fois qu'il le permet (les commandes en attente de paiement comptent jusqu'à leur annulation)
problem-detail-this-coupon-does-not-apply-to = ce code promo ne s'applique à rien dans le panier
problem-detail-an-item-in-the-cart-no = un article du panier n'existe plus
problem-detail-must-be-true-or-false = doit valoir true ou false
problem-detail-must-be-a-string = doit être une chaîne de caractères
problem-detail-this-question-cannot-be-answered = on ne peut pas répondre à cette question
problem-detail-no-sign-in-was-started-in = aucune connexion n'a été commencée dans ce navigateur, ou elle a expiré : recommencez
problem-detail-the-sign-in-answer-does-not = la réponse de connexion n'appartient pas à la connexion de ce navigateur (state)
problem-detail-the-provider-sent-no-code = le fournisseur n'a envoyé aucun code

thing-user = utilisateur
thing-order = commande
thing-payment = paiement
thing-course = cours
thing-refund = remboursement
thing-review = avis
thing-lesson = leçon
thing-coupon = code promo
thing-submission = devoir rendu
thing-section = section
thing-certificate = certificat
thing-page = page
thing-category = catégorie
thing-media = fichier
thing-route = route
thing-caption = sous-titre
thing-account = compte
thing-backup = sauvegarde
thing-bundle = lot
thing-cart-item = article du panier
thing-credit-note = avoir
thing-download = téléchargement
thing-enrollment = inscription
thing-enrolment = inscription
thing-file = fichier
thing-identity = identité
thing-invoice = facture
thing-media-file = fichier
thing-membership = adhésion
thing-order-item = article de commande
thing-plan = formule
thing-product = produit
thing-sign-in-provider = fournisseur de connexion
thing-subscription = abonnement
thing-tag = étiquette
thing-quiz = quiz
thing-assignment = devoir
problem-one-field = { $field } : { $message }
problem-fields-invalid = { $count ->
    [one] { $count } champ est invalide
   *[other] { $count } champs sont invalides
}

## Problems with values (built from their key, `msg!`): the English is what the code showed before.

problem-roles-needed = cette action demande l'un de ces rôles : { $roles }
problem-token-not-valid = { $what ->
    [login_link] ce lien de connexion n'est pas valide
   *[other] ce lien de réinitialisation du mot de passe n'est pas valide
}
problem-token-used = { $what ->
    [login_link] ce lien de connexion a déjà servi ; demandez-en un nouveau
   *[other] ce lien de réinitialisation du mot de passe a déjà servi ; demandez-en un nouveau
}
problem-token-expired = { $what ->
    [login_link] ce lien de connexion a expiré ; demandez-en un nouveau
   *[other] ce lien de réinitialisation du mot de passe a expiré ; demandez-en un nouveau
}
problem-cents-between = doit être compris entre { $min } et { $max } (en centimes)
problem-courses-count = doit nommer de 1 à { $max } cours
problem-course-twice = le cours { $id } est nommé deux fois
problem-course-missing = le cours { $id } n'existe pas
problem-course-not-yours = le cours { $id } appartient à un autre formateur : vous ne pouvez regrouper que vos propres cours
problem-course-not-sellable = le cours { $id } a le statut « { $status } » et ne peut pas être vendu
problem-filter-not-for = ne s'applique pas à { $table }
problem-sort-unknown = `{ $value }` n'est pas un ordre de tri ; utilisez l'un de : { $allowed }
problem-upload-unreadable = l'envoi n'a pas pu être lu : { $cause }
problem-file-bytes = le fichier compte { $size } octets
problem-lesson-opens-on = cette leçon ouvre le { $opens }
problem-lesson-opens-at = cette leçon ouvre le { $opens }
problem-file-type = le contenu du fichier n'est pas d'un type accepté ({ $accepted })
problem-no-category = aucune catégorie `{ $id }`
problem-unknown-tags = étiquettes inconnues : { $ids }
problem-unknown-media = fichiers inconnus : { $ids }
problem-foreign-uploads = vous ne pouvez joindre que vos propres fichiers : { $ids }
problem-slug-taken = le slug `{ $slug }` est déjà pris
problem-chars-range = doit compter de { $min } à { $max } caractères
problem-max-chars = { $max ->
    [one] doit compter au plus { $max } caractère
   *[other] doit compter au plus { $max } caractères
}
problem-between = doit être compris entre { $min } et { $max }
problem-max-lines = { $max ->
    [one] peut compter au plus { $max } ligne
   *[other] peut compter au plus { $max } lignes
}
problem-range-days = { $max ->
    [one] la période peut couvrir au plus { $max } jour
   *[other] la période peut couvrir au plus { $max } jours
}
problem-min-chars = { $min ->
    [one] doit compter au moins { $min } caractère
   *[other] doit compter au moins { $min } caractères
}
problem-downloads-unpaid = la commande a le statut « { $status } » ; les téléchargements ouvrent une fois qu'elle est payée
problem-open-orders = vous avez { $open } commandes impayées et un acheteur peut en avoir au plus { $limit } en attente de paiement ; payez-en ou annulez-en une d'abord
problem-held-units = un acheteur peut réserver au plus { $limit } unités impayées de { $name } et vos commandes impayées en réservent déjà { $held } ; payez-les ou annulez-les, ou commandez-en moins
problem-zip-too-many = { $count } documents sur cette période ; une archive ZIP en contient au plus { $max } : demandez une période plus courte
problem-bought-once = { $item_type ->
    [course] un cours s'achète une seule fois : indiquez 1
    [bundle] un lot s'achète une seule fois : indiquez 1
   *[other] un { $item_type } s'achète une seule fois : indiquez 1
}
problem-not-for-sale = { $name } n'est pas en vente
problem-no-shipping-to = aucun mode de livraison ne livre vers { $country }
problem-no-shipping-here = aucun mode de livraison ne livre vers ce pays
problem-vies-unknown = VIES ne connaît pas { $number } comme numéro de TVA valide ; corrigez-le ou laissez-le vide
problem-vat-country = est enregistré en { $registered }, pas dans le pays de facturation { $declared }
problem-billing-country-ip = indique { $billing } mais votre connexion vient de { $ip } ; confirmez votre pays de résidence (sans VPN ni proxy) ou saisissez le numéro de TVA de votre entreprise
problem-no-db-connection = aucune connexion à la base de données : { $cause }
problem-db-silent = la base de données ne répond pas : { $cause }
problem-bad-query = chaîne de requête invalide : { $cause }
problem-bad-json = le corps de la requête n'est pas du JSON valide : { $cause }
problem-attempts-used = { $max ->
    [one] l'unique tentative de ce quiz a été utilisée
   *[other] les { $max } tentatives de ce quiz ont toutes été utilisées
}
problem-course-costs = ce cours coûte { $price } { $currency } (en centimes) ; achetez-le pour vous inscrire
problem-rate-bps = { $bps } points de base, c'est plus de 100 %
problem-provider-declined = le fournisseur ne vous a pas connecté ({ $cause })
problem-provider-failed = la connexion avec le fournisseur a échoué : { $cause }
problem-quantity-min = la quantité de l'article { $id } doit être d'au moins 1
problem-negative-price = l'article { $id } a un prix négatif
problem-bad-setting = réglage de la boutique invalide : { $field } : { $problem }
problem-no-shipping-method = il n'existe pas de mode de livraison { $id }
problem-method-not-to = le mode de livraison { $id } ne livre pas vers { $country }
problem-coupon-minimum = ce code promo demande un sous-total d'au moins { $amount }
problem-between-got = doit être compris entre { $min } et { $max } (reçu : { $got })
problem-positive-got = doit être positif (reçu : { $got })
problem-not-negative-got = ne doit pas être négatif (reçu : { $got })
problem-country-code = { $code } n'est pas un code pays à deux lettres
problem-change-cart = { $why } ; modifiez votre panier et réessayez
problem-no-longer-for-sale = { $name } n'est plus en vente
problem-enrolled-in = vous êtes déjà inscrit à { $name }
problem-only-left = { $available ->
    [one] il ne reste que { $available } exemplaire de { $name }
   *[other] il ne reste que { $available } exemplaires de { $name }
}
problem-price-changed = le prix de { $name } est passé de { $from } à { $to } centimes
problem-price-changed-order = { $change } ; la commande applique le prix actuel
problem-detail-shipping-is-an-estimate-until-a = les frais de port sont une estimation tant qu'aucun pays n'est indiqué
problem-coupon-limit = { $reason } ({ $name } vaut { $value })
problem-unknown-role = rôle `{ $role }` inconnu ; attendu : admin, vendor, instructor ou student
problem-unknown-value = { $name } { $value } inconnu (valeurs attendues : { $expected })
problem-cannot-move = impossible de faire passer { $subject } de « { $from } » à « { $to } »
problem-cannot-move-only = { $subject } ne peut passer de « { $from } » à « { $to } » que par { $cause }
lifecycle-subject = { $subject ->
    [an-order] une commande
    [a-membership] une adhésion
    [a-payment] un paiement
    [a-refund-request] une demande de remboursement
    [an-enrolment] une inscription
   *[other] { $text }
}
lifecycle-cause = { $cause ->
    [a-refund] un remboursement
    [a-payment] un paiement
    [fulfilment] l'exécution de la commande
    [a-cancellation] une annulation
   *[other] { $text }
}
status-word = { $status ->
    [status-draft] brouillon
    [status-published] publié
    [status-archived] archivé
    [order-status-pending] en attente de paiement
    [order-status-paid] payée
    [order-status-fulfilled] traitée
    [order-status-shipped] expédiée
    [order-status-delivered] livrée
    [order-status-cancelled] annulée
    [order-status-refunded] remboursée
    [order-status-partially_refunded] remboursée en partie
    [payment-status-pending] en attente
    [payment-status-completed] réglé
    [payment-status-failed] en échec
    [payment-status-refunded] remboursé
    [payment-status-partially_refunded] remboursé en partie
    [refund-status-requested] en attente d’examen
    [refund-status-approved] approuvée
    [refund-status-rejected] refusée
    [refund-status-processed] remboursée
    [refund-status-return_requested] en attente du retour
    [refund-status-return_received] retour reçu
    [refund-status-failed] en échec
    [membership-status-trialing] en période d’essai
    [membership-status-active] active
    [membership-status-past_due] en retard de paiement
    [membership-status-paused] en pause
    [membership-status-cancelled] résiliée
    [membership-status-expired] expirée
    [enrolment-status-active] active
    [enrolment-status-completed] terminée
    [enrolment-status-revoked] révoquée
   *[other] { $code }
}
problem-body-unreadable = le corps de la requête est illisible : { $cause }
problem-missing-field = champ `{ $name }` manquant
problem-json-invalid = valeur invalide : { $cause }
problem-option-index = doit être un numéro d'option de 0 à { $max }
problem-option-indexes = doit être une liste de numéros d'option de 0 à { $max }
problem-gateway-refused = le prestataire de paiement a refusé la demande : { $cause }
problem-gateway-unavailable = le prestataire de paiement est indisponible : { $cause }
problem-paid-by-payment = une commande n'est payée que par un paiement enregistré : confirmez son paiement manuel avec POST /api/admin/payments/{ $id }/confirm
problem-paid-no-payment = une commande n'est payée que par un paiement enregistré : le paiement par carte de l'acheteur, ou un paiement manuel que l'acheteur a ouvert et que l'équipe confirme avec POST /api/admin/payments/{"{"}id{"}"}/confirm ; cette commande n'a aucun paiement à confirmer
problem-refund-order-unpaid = la commande { $number } a le statut « { $status } » ; seules les commandes payées peuvent être remboursées
problem-refund-not-approved = la demande de remboursement a le statut « { $status } », elle n'est pas approuvée
problem-cancel-order-status = la commande { $number } a le statut « { $status } » ; seules les commandes payées et pas encore expédiées peuvent être annulées
problem-cancel-refused = cette commande ne peut plus être annulée et remboursée : { $reasons } ; demandez le remboursement des articles qui y ont droit, ou adressez-vous à l'équipe
problem-refund-not-sent = le remboursement n'a pas pu être envoyé ({ $cause }) ; la commande reste payée et le remboursement attend l'équipe
problem-no-answer = aucune réponse
problem-not-order-item = { $id } n'est pas un article de cette commande
problem-item-refunded = l'article { $id } est déjà couvert par un autre remboursement
problem-refund-too-much = { $asked } centimes, c'est plus que ce que ces articles ont rapporté et qui n'est pas encore remboursé : au plus { $refundable } centimes peuvent être remboursés
problem-bundle-whole = un lot se rembourse en entier : omettez amount_cents ou demandez { $whole } centimes, pas { $asked }
problem-positive-not = doit être positif, pas { $amount }
problem-gateway-off = les paiements { $gateway } ne sont pas activés ici
problem-payment-pending = la commande { $number } a déjà un paiement { $gateway } en attente
problem-payment-not-awaiting = le paiement a le statut « { $status } », il n'attend pas de confirmation
problem-order-not-awaiting = la commande { $number } a le statut « { $status } », elle n'attend pas de paiement
problem-payment-not-confirmed = le paiement n'a pas pu être confirmé ({ $cause })
problem-membership-status = cette adhésion a le statut « { $status } »
problem-detail-must-name-a-published-bundle-whose = doit désigner un lot publié dont tous les cours sont publiés
problem-detail-a-bundle-that-includes-products-is = un lot qui inclut des produits se vend seulement dans la boutique, pas en plusieurs fois
problem-detail-this-plans-bundle-is-no-longer = le lot de cette formule n'est plus en vente
problem-detail-is-not-a-card-stripe-can = n'est pas une carte que Stripe peut utiliser pour cette adhésion
problem-detail-this-membership-is-not-paid-by = cette adhésion n'est pas payée par carte : il n'y a pas de carte à mettre à jour
problem-detail-this-membership-has-no-stripe-subscription = cette adhésion n'a pas d'abonnement Stripe à mettre à jour
problem-detail-stripe-did-not-save-the-card = Stripe n'a pas enregistré la carte pour les prochains prélèvements (tout paiement en retard qu'il a pris est enregistré) ; réessayez
problem-detail-a-product-id-is-empty = un identifiant de produit est vide
problem-no-course = aucun cours `{ $id }`
problem-membership-nothing-to-pay = cette adhésion a le statut « { $status } » ; il ne reste rien à payer
problem-card-declined = la carte a été refusée ; { $outcome ->
   *[unchanged] la carte enregistrée reste la même
    [overdue] rien n'a été débité, la carte n'a pas été enregistrée et l'adhésion reste impayée
}
problem-card-declined-said = la carte a été refusée ({ $said }) ; { $outcome ->
   *[unchanged] la carte enregistrée reste la même
    [overdue] rien n'a été débité, la carte n'a pas été enregistrée et l'adhésion reste impayée
}
problem-bundle-max-products = { $max ->
    [one] peut inclure au plus { $max } produit
   *[other] peut inclure au plus { $max } produits
}
problem-bundle-product-twice = le produit { $id } est cité deux fois
problem-bundle-product-missing = le produit { $id } n'existe pas
problem-bundle-product-not-yours = le produit { $id } appartient à quelqu'un d'autre : vous ne pouvez inclure que vos propres produits
problem-bundle-product-status = le produit { $id } a le statut « { $status } » et ne peut pas être vendu
problem-bundle-product-currency = le produit { $id } est vendu en { $currency }, le lot en { $bundle_currency }
problem-paypal-header = l'en-tête { $header } manque : ce n'est pas un envoi de PayPal
problem-event-incomplete = l'événement { $kind } n'a pas les identifiants ou le montant qu'il doit porter
problem-event-not-json = l'événement n'est pas du JSON : { $cause }
problem-paypal-unverified = PayPal n'a pas vérifié l'envoi ({ $answer })
problem-event-unreadable = l'événement est illisible : { $cause }
problem-stripe-signature = l'en-tête Stripe-Signature ne se vérifie pas : { $cause }
problem-locked-email = { $seconds ->
    [one] trop de connexions échouées pour cette adresse e-mail depuis votre adresse IP ; réessayez dans { $seconds } seconde
   *[other] trop de connexions échouées pour cette adresse e-mail depuis votre adresse IP ; réessayez dans { $seconds } secondes
}
problem-locked-address = { $seconds ->
    [one] trop de connexions échouées depuis votre adresse IP ; réessayez dans { $seconds } seconde
   *[other] trop de connexions échouées depuis votre adresse IP ; réessayez dans { $seconds } secondes
}

## Quantités (règles de pluriel de chaque langue : en français, 0 et 1 sont au singulier).

items-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
minutes-count = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}

## Mails.

mail-hello = Bonjour { $name },
mail-view-order = Voir votre commande
mail-not-given = non précisé

mail-welcome =
    .subject = Bienvenue chez { $store_name }
    .html =
        <p>Bonjour { $name },</p>
        <p>bienvenue chez { $store_name } ! Votre compte pour <strong>{ $email }</strong> est prêt.</p>
        <p><a class="button" href="{ $login_url }">Se connecter</a></p>
        <p>À bientôt,<br>{ $store_name }</p>

mail-password_reset =
    .subject = Réinitialisez votre mot de passe { $store_name }
    .html =
        <p>Bonjour { $name },</p>
        <p>quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte { $store_name }.</p>
        <p><a class="button" href="{ $reset_url }">Choisir un nouveau mot de passe</a></p>
        <p>Ce lien ne sert qu'une fois et expire dans { $minutes ->
            [one] { $minutes } minute
           *[other] { $minutes } minutes
        }. Si vous ne l'avez pas demandé, ignorez ce mail : votre mot de passe reste inchangé.</p>
        <p>{ $store_name }</p>

mail-order_received =
    .subject = Nous avons reçu votre commande { $number }
    .html =
        <p>Bonjour { $name },</p>
        <p>merci pour votre commande <strong>{ $number }</strong> chez { $store_name }. Nous l'avons reçue et attendons votre paiement.</p>
        <pre>{ $items }</pre>
        <p><strong>Total : { $total }</strong></p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

mail-order_paid =
    .subject = La commande { $number } est payée et confirmée
    .html =
        <p>Bonjour { $name },</p>
        <p>votre commande <strong>{ $number }</strong> chez { $store_name } est payée et confirmée.</p>
        <pre>{ $items }</pre>
        <p><strong>Total : { $total }</strong></p>
        <p>{ $ships ->
            [yes] Nous préparons votre colis et vous écrirons à son expédition.
           *[no] Vos cours et téléchargements vous attendent dans votre compte.
        }</p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

mail-order_shipped =
    .subject = La commande { $number } a été expédiée
    .html =
        <p>Bonjour { $name },</p>
        <p>bonne nouvelle : votre commande <strong>{ $number }</strong> chez { $store_name } a été expédiée.</p>
        <p>Numéro de suivi : <strong>{ $tracking_number }</strong></p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

mail-order_cancelled =
    .subject = La commande { $number } a été annulée
    .html =
        <p>Bonjour { $name },</p>
        <p>votre commande <strong>{ $number }</strong> chez { $store_name } a été annulée.</p>
        <p>Motif : { $reason }</p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

mail-manual_hold_lapsing =
    .subject = Commande { $number } : son paiement manuel n'est pas confirmé et sa réservation expire bientôt
    .html =
        <p>Bonjour,</p>
        <p>la commande <strong>{ $number }</strong> chez { $store_name } ({ $total }) attend un paiement manuel (au bureau ou par virement) que personne n'a encore confirmé.</p>
        <p>Sa réservation expire le <strong>{ $lapses_at }</strong> : sans confirmation du paiement d'ici là, la commande est annulée et ses articles sont libérés.</p>
        <p><a class="button" href="{ $order_url }">Confirmer le paiement</a></p>
        <p>{ $store_name }</p>

mail-payment_reversed =
    .subject = Commande { $number } : son paiement a été annulé chez { $gateway }
    .html =
        <p>Bonjour,</p>
        <p>le paiement de la commande <strong>{ $number }</strong> chez { $store_name } ({ $amount }) a été annulé chez { $gateway } : la banque de l'acheteur ou { $gateway } a repris l'argent (une rétrofacturation ou une annulation).</p>
        <p>La commande est désormais remboursée et les cours qu'elle donnait ont été retirés. Examinez le litige chez { $gateway }, ainsi que la commande.</p>
        <p><a class="button" href="{ $order_url }">Ouvrir la commande</a></p>
        <p>{ $store_name }</p>

mail-course_completed =
    .subject = Vous avez terminé { $course_title }
    .html =
        <p>Bonjour { $name },</p>
        <p>félicitations : vous avez terminé <strong>{ $course_title }</strong> !</p>
        <p><a class="button" href="{ $my_courses_url }">Télécharger votre certificat</a></p>
        <p class="small">Certificat { $serial } : chacun peut vérifier son authenticité sur <a href="{ $verify_url }">{ $verify_url }</a>.</p>
        <p>Le cours vous a plu ? <a href="{ $review_url }">Dites-le aux autres apprenants dans un avis</a>.</p>
        <p>{ $store_name }</p>

mail-assignment_graded =
    .subject = Votre devoir { $lesson_title } a été noté
    .html =
        <p>Bonjour { $name },</p>
        <p>votre devoir <strong>{ $lesson_title }</strong> du cours <strong>{ $course_title }</strong> a été noté.</p>
        <p>Note : <strong>{ $score } / { $max_score }</strong> ({ $passed ->
            [yes] réussi
           *[no] pas encore réussi
        })</p>
        <p>Commentaire :</p>
        <blockquote>{ $feedback }</blockquote>
        <p><a class="button" href="{ $lesson_url }">Ouvrir la leçon</a></p>
        <p>{ $store_name }</p>
mail-no-feedback = (aucun commentaire)

mail-refund_requested =
    .subject = Votre demande de remboursement pour la commande { $number }
    .html =
        <p>Bonjour { $name },</p>
        <p>nous avons reçu votre demande de remboursement pour la commande <strong>{ $number }</strong> chez { $store_name } ({ $amount }).</p>
        <p class="pre">{ $decision }</p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>
refund-approved = Votre demande est acceptée : l'argent est en route vers vous.
refund-review = Votre demande attend l'examen de notre équipe ; nous vous écrirons dès qu'elle sera tranchée.
refund-return-first = Merci de nous renvoyer les articles ; le remboursement suivra à leur arrivée.
refund-ask-where = Répondez à ce mail pour savoir où les envoyer.
refund-rejected = Malheureusement, la demande ne peut pas être acceptée :
refund-reason-no_items = choisissez au moins un article à rembourser
refund-reason-outside_window = un remboursement doit être demandé au plus { $window_days ->
        [one] { $window_days } jour
       *[other] { $window_days } jours
    } après le paiement, et cette commande a été payée il y a { $days_since_payment ->
        [one] { $days_since_payment } jour
       *[other] { $days_since_payment } jours
    }
refund-reason-course_progress_too_high = le cours { $course_id } est terminé à { $progress_percent } % ; un remboursement n’est possible que jusqu’à { $max_progress_percent } %
refund-reason-certificate_issued = un certificat a été délivré pour le cours { $course_id }
refund-reason-bundle_progress_too_high = le pack { $bundle_id } est terminé à { $progress_percent } % ({ $rule ->
        [average] la moyenne
       *[other] le maximum
    } de ses cours) ; un remboursement n’est possible que jusqu’à { $max_progress_percent } %
refund-reason-digital_item_downloaded = le produit { $product_id } a déjà été téléchargé

mail-refund_processed =
    .subject = Nous avons remboursé { $amount } pour la commande { $number }
    .html =
        <p>Bonjour { $name },</p>
        <p>nous avons remboursé <strong>{ $amount }</strong> pour la commande <strong>{ $number }</strong> chez { $store_name }.</p>
        <p>Motif : { $reason }</p>
        <p>L'argent revient par le moyen de paiement utilisé ; votre banque peut mettre quelques jours à l'afficher.</p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

mail-refund_rejected =
    .subject = Votre demande de remboursement pour la commande { $number } n'a pas été acceptée
    .html =
        <p>Bonjour { $name },</p>
        <p>votre demande de remboursement pour la commande <strong>{ $number }</strong> chez { $store_name } ({ $amount }) n'a pas été acceptée.</p>
        <p>Note de notre équipe : { $note }</p>
        <p><a class="button" href="{ $order_url }">Voir votre commande</a></p>
        <p>{ $store_name }</p>

## Le certificat (imprimé dans la langue du cours).

cert-heading = Certificat de réussite
cert-certify = Nous certifions que
cert-completed = a suivi avec succès le cours
cert-instructor = Formateur
cert-date = Date de réussite
cert-scan = Scanner pour vérifier
cert-number = Certificat n° { $serial }
cert-verify-at = Vérifier sur { $url }
cert-title = Certificat { $serial }
cert-subject = Certificat de réussite { $serial } : { $learner } a terminé { $course }

## La page lisible de l'export des données personnelles (dans la langue de l'utilisateur).

export-title = Vos données chez { $store }
export-intro = Exporté le { $at }. Le fichier data.json à côté de cette page contient les mêmes données pour les programmes.
export-none = Aucune.
export-section-vat-evidence = Preuves pour la TVA
    .order_number = Commande
    .country = Pays d’imposition
    .billing_country = Pays de facturation
    .ip_address = Adresse IP
    .ip_country = Pays de l’adresse IP
    .card_country = Pays de la carte
    .evidence_pieces = Nombre de preuves
    .vat_number = Numéro de TVA
    .vies_status = Réponse de VIES
    .vies_consultation = Numéro de consultation VIES
    .vies_name = Nom donné par VIES
    .vies_checked_at = VIES consulté le
    .reverse_charge = Autoliquidation
    .scheme = Régime de TVA
    .evidence_conflict = Contradiction
    .created_at = Enregistré le

mail-membership_welcome =
    .subject = Bienvenue dans { $plan }
    .html =
        <p>Bonjour { $name },</p>
        <p>votre abonnement { $plan } chez { $store_name } a commencé ({ $price } par { $interval ->
            [year] an
           *[month] mois
        }).</p>
        <p>Vos cours sont ouverts dès maintenant ; votre formule, le prochain prélèvement et vos factures sont sur la page de votre abonnement.</p>
        <p><a class="button" href="{ $membership_url }">Ouvrir mon abonnement</a></p>
        <p>{ $store_name }</p>

mail-membership_receipt =
    .subject = Reçu : { $plan }, { $amount }
    .html =
        <p>Bonjour { $name },</p>
        <p>nous avons bien reçu { $amount } pour { $plan } chez { $store_name }. { $note }</p>
        <p>Vos factures sont sur la page de votre abonnement.</p>
        <p><a class="button" href="{ $membership_url }">Ouvrir mon abonnement</a></p>
        <p>{ $store_name }</p>

mail-membership_payment_failed =
    .subject = Votre paiement pour { $plan } a échoué
    .html =
        <p>Bonjour { $name },</p>
        <p>le paiement de { $amount } pour { $plan } chez { $store_name } a échoué. Vos cours restent ouverts jusqu’au { $grace_until } ; mettez à jour votre carte d’ici là pour les garder (votre progression est conservée dans tous les cas).</p>
        <p><a class="button" href="{ $membership_url }">Mettre à jour ma carte</a></p>
        <p>{ $store_name }</p>

mail-membership_paused =
    .subject = Votre accès par { $plan } est suspendu
    .html =
        <p>Bonjour { $name },</p>
        <p>votre abonnement { $plan } chez { $store_name } est suspendu : les cours qu’il ouvrait sont fermés pour l’instant. Votre progression et vos certificats sont conservés et reviendront à la reprise.</p>
        <p><a class="button" href="{ $membership_url }">Ouvrir mon abonnement</a></p>
        <p>{ $store_name }</p>

mail-membership_cancelled =
    .subject = Votre abonnement { $plan } est résilié
    .html =
        <p>Bonjour { $name },</p>
        <p>votre abonnement { $plan } chez { $store_name } : { $when }. Votre progression et vos certificats sont conservés ; vous pouvez vous réabonner à tout moment.</p>
        <p><a class="button" href="{ $membership_url }">Ouvrir mon abonnement</a></p>
        <p>{ $store_name }</p>

## Dynamic values inside mails (dates, membership notes)
mail-date = { $date }
mail-date-time = { $date } à { $time } UTC
membership-note-paid-off = C’était la dernière échéance : le cours est à vous pour de bon.
membership-note-paid-off-bundle = C’était la dernière échéance : chaque cours du pack est à vous pour de bon.
membership-when-cancelled = résilié
membership-when-ended = terminé après l’arrêt des paiements
membership-when-comp-ended = est arrivé au terme de la durée pour laquelle il avait été offert
membership-when-ends-on = prend fin le { $date } (vous l’avez résilié ; vous pouvez le reprendre d’ici là)
membership-when-ends-later = prend fin à la fin de la période (vous l’avez résilié ; vous pouvez le reprendre d’ici là)

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

## Invoices and credit notes (PDF), printed in the buyer's locale when issued.

invoice-title = Facture
invoice-credit-note-title = Avoir
invoice-description = { $title } { $number } pour la commande { $order }
invoice-continued = suite page suivante
invoice-vat-number = N° de TVA : { $value }
invoice-tax-number = N° fiscal : { $value }
invoice-number = Numéro : { $value }
invoice-issue-date = Date d'émission : { $value }
invoice-supply-date = Date de la vente : { $value }
invoice-order = Commande : { $value }
invoice-corrects = Rectifie la facture : { $value }
invoice-bill-to = Facturé à
invoice-credited-to = Avoir au bénéfice de
invoice-reason = Motif : { $value }
invoice-description-column = Désignation
invoice-quantity = Qté
invoice-unit-price = Prix unitaire
invoice-discount = Remise
invoice-net = HT
invoice-vat-percent = TVA %
invoice-vat = TVA
invoice-total = TTC
invoice-vat-rate = Taux de TVA
invoice-net-total = Total HT
invoice-vat-total = Total TVA
invoice-grand-total = Total TTC
invoice-total-credited = Total de l'avoir
invoice-money = { $amount } { $symbol }
invoice-payment-method = Mode de paiement : { $value }
invoice-prices-include-vat = Les prix unitaires s'entendent TVA comprise.
invoice-paid-stripe = Carte (Stripe)
invoice-paid-paypal = PayPal
invoice-paid-manual = Virement bancaire ou paiement au bureau
invoice-paid-online = Paiement en ligne
invoice-paid-nothing-due = Aucun paiement dû
invoice-reverse-charge = Autoliquidation : TVA due par le preneur, article 196 de la directive 2006/112/CE
