# Thème par défaut de vitrine – chaînes françaises
lang-vi = vietnamien
lang-en = anglais
lang-fr = français
lang-zh = chinois
lang-ar = arabe

site-tagline = Portail officiel · Viet Nam
skip-to-content = Aller au contenu principal
main-navigation = Navigation principale
footer-navigation = Rubriques
languages = Langues
home = Accueil
breadcrumbs = Fil d'Ariane
explore = Découvrir
subsections = Sous-rubriques
topics = Thèmes
tags = Mots-clés
regions = Régions
audiences = Publics

latest = Derniers articles
read-more = Lire la suite
feed = Flux Atom
published = Publié le
updated = Mis à jour le
author = Par
corrections = Rectificatifs
toc = Sur cette page
more-in-section = Dans la même rubrique
prev = Précédent
next = Suivant
pagination = Pagination
page-of = Page { $current } sur { $total }
no-articles = Aucun article pour le moment.

articles-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
terms-count = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
reading-time = { $minutes ->
    [one] { $minutes } minute de lecture
   *[other] { $minutes } minutes de lecture
}

fallback-marker = pas encore traduit
fallback-notice = Cette page n'est pas encore disponible en français ; elle est affichée en { $language }.
machine-translation-badge = Traduction automatique
machine-translation-notice = Cette page a été traduite automatiquement et n'a pas encore été relue. Le texte original fait foi.
machine-translation-by = Traduction : { $by }
draft-translation-notice = Cette traduction est un brouillon et peut encore changer.

key-figures = Chiffres clés
figure-area = Superficie
figure-population = Population ({ $year })
figure-provinces = Provinces et villes
figure-provinces-note = depuis le 1er juillet 2025
figure-heritage = Sites du patrimoine mondial
figure-coastline = Littoral

not-found-title = Page introuvable
not-found-text = La page demandée n'existe pas ou a été déplacée. Essayez les rubriques ci-dessous ou revenez à l'accueil.
footer = © Portail national de l'image du Viet Nam. Reproduction autorisée avec mention de la source.

lang-ru = russe
available-in = Disponible en
share = Partager
share-on = Partager sur { $network }
share-email = Envoyer par courriel
related = Articles liés
doc-number = Numéro
doc-kind = Type
doc-issuer = Émis par
doc-signer = Signé par
doc-issued = Date d’émission
doc-effective = En vigueur le
doc-status = Statut
doc-kind-constitution = Constitution
doc-kind-law = Loi
doc-kind-resolution = Résolution
doc-kind-decree = Décret
doc-kind-decision = Décision
doc-status-in-force = En vigueur
doc-status-amended = Modifié
doc-status-repealed = Abrogé
doc-source = Texte officiel
filter-title = Filtrer les documents
filter-kind = Par type
filter-year = Par année d’émission
filter-all = Tous
filter-help = Choisissez un type et une année ; la liste se met à jour aussitôt.
documents-count = { $count ->
    [one] { $count } document
   *[other] { $count } documents
}
figure-credit = Photo : { $credit }
video-play = Voir la vidéo : { $title }
video-note = La vidéo s’ouvre sur { $host }. Rien n’est chargé depuis { $host } avant votre clic.
key-figure-source = Source : { $source }
figure-heritage-note = { $cultural } culturels, { $natural } naturels, { $mixed } mixte
figure-population-note = estimation
featured = À la une

# Search page (search.html, search.js); $count is filled in by the script
search = Recherche
search-title = Recherche
search-label = Rechercher sur le portail
search-placeholder = Par exemple : visa, Hué, Têt
search-button = Rechercher
search-section = Rubrique
search-all-sections = Toutes les rubriques
search-results = Résultats : { $count }
search-no-results = Aucune page ne correspond à votre recherche.
search-error = L’index de recherche n’a pas pu être chargé.
search-offline = La recherche demande un site servi par un serveur web : cette copie est ouverte depuis des fichiers. Parcourez les rubriques, ou ouvrez le portail en ligne.
search-loading = Recherche…
search-more = Plus de résultats
search-browse = Parcourir par rubrique
search-noscript = La recherche nécessite JavaScript. Vous pouvez parcourir les rubriques :
search-fallback = Pas encore traduites : pages dans d’autres langues

sections = Rubriques

# An imported page credits where it came from (vitrine import).
source-credit = Source : { $source }

# Urgent notices and change notes
notices = Avis
notice-emergency = Urgence
notice-warning = Avertissement
notice-info = Information
change-history = Historique des modifications
updated-on = Mis à jour le { $date }
changes-feed = Modifications
corrected-on = Rectifié le { $date }
