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
