"""Text of the synthetic CCTP corpus built by scripts/make-word-corpus.py.

Each document is written in a small Markdown-like notation that make-word-corpus.py renders
into .docx (python-docx) or Flat ODT (then converted by LibreOffice):

  # / ## / ###  heading of level 1/2/3 (text as the reader sees it)
  plain line    body paragraph; consecutive lines are separate paragraphs
  - / "  - "    bulleted list item, level 1 / level 2
  1. / "  1. "  numbered list item, level 1 / level 2
  | a | b |     table row; the first row of a table is its header row
  @image        a small picture (cannot be carried into Markdown)
  @textbox T    a text box holding T (cannot be carried into Markdown)
  @comment T    a reviewer's comment T on the previous paragraph (cannot be carried)

Inline: **bold**, *italic*, ^[footnote text], [link text](https://...). No nesting.
The texts are synthetic, modelled on real French public procurement CCTP.
"""

# name -> (kind, source). Kinds:
#   docx-en      python-docx, English built-in heading styles (Heading 1/2/3)
#   docx-fr      python-docx, heading styles renamed to Titre 1/2/3 (styleId Titre1..3)
#   docx-autonum python-docx, Heading 1/2/3 numbered by numbering.xml (numbers not in the text)
#   docx-article python-docx, clause headings are bold Normal paragraphs « Article N – ... »
#   fodt         Flat ODT written by hand, converted by LibreOffice to .odt and to .docx

DOCUMENTS = {}

DOCUMENTS["cvc-maintenance"] = ("docx-en", """
Cahier des clauses techniques particulières – Maintenance des installations de chauffage, ventilation et climatisation des bâtiments communautaires.
# 1 Objet du marché
Le présent marché a pour objet la **maintenance préventive et corrective** des installations de chauffage, de ventilation et de climatisation (CVC) des bâtiments de la communauté d'agglomération.
Les prestations comprennent la conduite des installations, leur entretien courant et le dépannage en cas de panne.
## 1.1 Périmètre des installations
Le périmètre couvre les équipements suivants :
- chaudières gaz à condensation de puissance supérieure à 70 kW
- centrales de traitement d'air et leurs réseaux de gaines
  - filtres et batteries chaudes ou froides
  - registres coupe-feu motorisés
- groupes froids et pompes à chaleur air eau
## 1.2 Documents de référence
Le titulaire respecte la réglementation en vigueur, notamment le décret relatif à l'entretien annuel des chaudières^[Articles R. 224-41-4 à R. 224-41-9 du code de l'environnement.] et le règlement sanitaire départemental.
Les textes sont consultables sur [Légifrance](https://www.legifrance.gouv.fr/).
# 2 Maintenance préventive
## 2.1 Visites périodiques
Le titulaire établit un *planning annuel des visites* dans le mois qui suit la notification du marché.
| Équipement | Fréquence | Opérations principales |
| **Chaudière** | Annuelle | Nettoyage du corps de chauffe et analyse de combustion |
| Centrale de traitement d'air | Trimestrielle | Remplacement des filtres et contrôle des courroies |
| **Groupe froid** | Semestrielle | Contrôle d'étanchéité du circuit frigorifique |
## 2.2 Contrôles réglementaires
Les contrôles d'étanchéité des équipements contenant des fluides frigorigènes sont réalisés par un opérateur titulaire d'une attestation de capacité.
# 3 Maintenance corrective
## 3.1 Délais d'intervention
Les délais courent à compter de l'appel du représentant du pouvoir adjudicateur :
1. panne totale de chauffage en période de chauffe : intervention sous **4 heures**
2. panne partielle : intervention sous 24 heures
3. défaut sans incidence sur le confort : intervention sous 5 jours ouvrés
## 3.2 Pièces détachées
Les pièces d'usure sont comprises dans le forfait ; les autres pièces font l'objet d'un *devis préalable* accepté par écrit.
# 4 Suivi et compte rendu
Chaque intervention donne lieu à un bon d'intervention signé et enregistré dans la GMAO du titulaire.
""")

DOCUMENTS["nettoyage-locaux"] = ("docx-en", """
Cahier des clauses techniques particulières – Nettoyage et hygiène des locaux administratifs de la mairie.
# 1 Présentation du marché
## 1.1 Objet
Le marché porte sur le **nettoyage courant** des bureaux, salles de réunion, circulations et sanitaires de l'hôtel de ville et de ses annexes.
## 1.2 Sites concernés
| Site | Surface (m²) | Horaires d'intervention |
| **Hôtel de ville** | 2 450 | Du lundi au vendredi, de 6 h à 8 h 30 |
| Centre technique municipal | 820 | Lundi, mercredi et vendredi après 17 h |
| Médiathèque | 1 130 | Du mardi au samedi, avant 9 h 30 |
# 2 Prestations attendues
## 2.1 Prestations quotidiennes
- vidage des corbeilles et remplacement des sacs
- nettoyage et désinfection des sanitaires
  - cuvettes, urinoirs et lavabos
  - réapprovisionnement en papier et savon
- balayage humide des sols des circulations
## 2.2 Prestations hebdomadaires
Le dépoussiérage des bureaux et du mobilier est réalisé *une fois par semaine*, sans déplacer les documents laissés par les agents.
## 2.3 Prestations périodiques
1. lavage des vitres intérieures chaque trimestre
2. décapage et protection des sols thermoplastiques chaque année
# 3 Produits et matériels
Le titulaire utilise des produits porteurs de l'**Écolabel européen**^[Règlement (CE) n° 66/2010 du 25 novembre 2009 établissant le label écologique de l'Union européenne.] ou équivalent.
Les fiches de données de sécurité sont remises au service des moyens généraux avant le début des prestations.
# 4 Contrôle de la qualité
Un contrôle contradictoire est organisé chaque mois selon une grille de notation annexée au présent document.
""")

DOCUMENTS["support-informatique"] = ("docx-en", """
Cahier des clauses techniques particulières – Assistance et support informatique de proximité pour les services départementaux.
# 1 Contexte
## 1.1 Le système d'information du département
Le parc comprend environ **1 800 postes de travail**, 240 imprimantes multifonctions et une trentaine de sites distants reliés au réseau départemental.
## 1.2 Organisation actuelle
Le support de premier niveau est assuré par un centre de services interne ; le présent marché porte sur le *support de deuxième niveau* et les interventions sur site.
# 2 Description des prestations
## 2.1 Traitement des incidents
### 2.1.1 Prise en charge
Toute demande est enregistrée dans l'outil de gestion des tickets du département, qui fait foi pour le calcul des délais.
### 2.1.2 Niveaux de priorité
| Priorité | Définition | Délai de rétablissement |
| **P1** | Service indisponible pour un site entier | 4 heures ouvrées |
| **P2** | Poste ou application métier bloquant pour un agent | 1 jour ouvré |
| P3 | Gêne sans blocage | 3 jours ouvrés |
| P4 | Demande de service planifiable | 10 jours ouvrés |
## 2.2 Gestion du parc
- installation et déménagement des postes de travail
- mise à jour de l'inventaire dans la base de gestion de configuration
  - numéro de série et affectation
  - version du système d'exploitation
- reprise et effacement sécurisé des matériels réformés^[L'effacement suit les recommandations de l'ANSSI ; un certificat d'effacement est remis pour chaque support.]
# 3 Sécurité
Le titulaire applique la politique de sécurité des systèmes d'information du département et le [guide d'hygiène informatique de l'ANSSI](https://cyber.gouv.fr/publications/guide-dhygiene-informatique).
Les intervenants signent un **engagement de confidentialité** avant toute intervention.
# 4 Indicateurs de performance
1. taux de tickets résolus dans les délais contractuels
2. taux de satisfaction des usagers mesuré par enquête
3. nombre de tickets réouverts dans les 7 jours
""")

DOCUMENTS["flotte-vehicules"] = ("docx-en", """
Cahier des clauses techniques particulières – Entretien et réparation de la flotte de véhicules légers et utilitaires.
@image
# 1 Objet et étendue des prestations
La flotte comprend **96 véhicules** dont 31 véhicules électriques et 12 véhicules utilitaires de plus de 3,5 tonnes.
@comment Vérifier le nombre de véhicules électriques avec le service des moyens généraux.
## 1.1 Entretien périodique
Les révisions suivent les préconisations des constructeurs et le carnet d'entretien de chaque véhicule.
- vidange et remplacement des filtres
- contrôle des freins et des pneumatiques
  - usure des plaquettes et des disques
  - pression et parallélisme
- diagnostic électronique et mise à jour des calculateurs
## 1.2 Réparations
Toute réparation d'un montant supérieur à 800 euros hors taxes fait l'objet d'un *devis préalable*.
@textbox Rappel : les véhicules restent la propriété de la collectivité pendant toute la durée des travaux.
# 2 Délais d'immobilisation
| Type d'intervention | Délai maximal |
| Révision courante | 1 jour ouvré |
| **Réparation mécanique** | 5 jours ouvrés |
| Carrosserie | 10 jours ouvrés |
# 3 Véhicule de remplacement
Au-delà de deux jours d'immobilisation, le titulaire met à disposition un véhicule de catégorie équivalente^[Sans frais supplémentaires pour la collectivité, carburant exclu.].
# 4 Restitution des véhicules
Le véhicule est restitué nettoyé, avec la facture détaillée et les pièces remplacées lorsque la collectivité en fait la demande.
""")

DOCUMENTS["impression-reprographie"] = ("docx-autonum", """
Cahier des clauses techniques particulières – Impression et façonnage des documents de communication de la région.
# Objet du marché
Le marché porte sur l'impression, le façonnage et la livraison des **supports de communication** de la région : magazine, affiches, dépliants et rapports.
## Nature des travaux
- impression offset et numérique
- façonnage
  - pliage, piquage et reliure dos carré collé
  - mise sous film des magazines
- livraison sur les sites de la région
## Volumes estimatifs
| Support | Quantité annuelle | Format |
| **Magazine régional** | 6 numéros de 180 000 exemplaires | A4, 32 pages |
| Affiches | 4 000 | 40 x 60 cm |
| Dépliants | 50 000 | A4 plié en 3 |
# Exigences techniques
## Papier
Les papiers sont issus de forêts gérées durablement^[Certification PEFC ou FSC, ou preuve équivalente.] et présentent une blancheur d'au moins 150 CIE.
## Bons à tirer
Le titulaire fournit un *bon à tirer numérique* sous 48 heures après réception des fichiers.
1. contrôle des fichiers à réception
2. envoi du bon à tirer au service communication
3. validation écrite avant impression
# Livraison
Les livraisons ont lieu du lundi au vendredi entre 8 h et 16 h, sur rendez-vous.
""")

DOCUMENTS["restauration-collective"] = ("docx-fr", """
Cahier des clauses techniques particulières – Fourniture et livraison de repas en liaison froide pour la restauration scolaire.
# 1 Objet
Le marché a pour objet la **fabrication et la livraison en liaison froide** des repas servis dans les restaurants scolaires et l'accueil de loisirs de la commune.
# 2 Qualité des repas
## 2.1 Composition des menus
Les menus respectent les recommandations nutritionnelles en vigueur^[Arrêté du 30 septembre 2011 relatif à la qualité nutritionnelle des repas servis dans le cadre de la restauration scolaire.] et comportent quatre ou cinq composantes.
- une entrée ou un produit laitier
- un plat protidique et son accompagnement
  - un menu végétarien au moins une fois par semaine
  - une alternative sans porc sur demande
- un dessert
## 2.2 Approvisionnement
Au moins **50 % des produits** en valeur sont durables et de qualité, dont au moins 20 % issus de l'agriculture biologique, conformément à la [loi EGalim](https://agriculture.gouv.fr/egalim-ce-que-contient-la-loi-agriculture-et-alimentation).
# 3 Livraison
## 3.1 Horaires
| Site | Nombre de repas par jour | Heure limite de livraison |
| **École Jules Ferry** | 320 | 10 h 00 |
| École du Parc | 185 | 10 h 15 |
| Accueil de loisirs | 90 | 10 h 30 |
## 3.2 Conditions de transport
Les repas sont transportés en véhicule réfrigéré ; la température des préparations reste comprise entre 0 et 3 °C.
# 4 Traçabilité
1. enregistrement des températures à chaque livraison
2. conservation des plats témoins pendant cinq jours
3. transmission mensuelle des fiches techniques des produits
""")

DOCUMENTS["espaces-verts"] = ("docx-fr", """
Cahier des clauses techniques particulières – Entretien des espaces verts et des terrains de sport communaux.
# 1 Généralités
## 1.1 Objet du marché
Le marché concerne l'entretien des parcs, squares, accotements et terrains de sport en gazon naturel, pour une surface totale de **38 hectares**.
## 1.2 Gestion différenciée
La commune applique une *gestion différenciée* : chaque espace est rattaché à une classe d'entretien qui fixe la fréquence des interventions.
# 2 Prestations
## 2.1 Tonte et fauchage
| Classe | Type d'espace | Hauteur de coupe | Passages par an |
| **Classe 1** | Parcs et squares de centre-ville | 6 cm | 18 |
| Classe 2 | Espaces résidentiels | 8 cm | 10 |
| Classe 3 | Prairies et accotements | Fauche tardive | 2 |
## 2.2 Taille des arbustes et des haies
- taille de formation des jeunes sujets
- taille d'entretien des haies
  - en dehors de la période de nidification
  - avec évacuation et broyage des déchets verts
## 2.3 Désherbage
Aucun produit phytopharmaceutique n'est utilisé^[Loi n° 2014-110 du 6 février 2014, dite loi Labbé.] ; le désherbage est manuel, mécanique ou thermique.
# 3 Matériels
Les matériels à moteur thermique sont progressivement remplacés par des matériels électriques sur batterie.
# 4 Suivi des prestations
1. remise d'un planning mensuel
2. compte rendu hebdomadaire des interventions réalisées
""")

DOCUMENTS["gardiennage"] = ("docx-fr", """
Cahier des clauses techniques particulières – Surveillance, gardiennage et sécurité incendie du centre administratif.
# 1 Objet
Le marché porte sur la surveillance humaine du centre administratif, l'accueil de sécurité et le **service de sécurité incendie** de l'établissement recevant du public.
# 2 Missions des agents
## 2.1 Contrôle des accès
### 2.1.1 Accueil des visiteurs
Les agents vérifient l'identité des visiteurs, remettent un badge temporaire et tiennent à jour le *registre des entrées*.
### 2.1.2 Livraisons
Les livraisons sont contrôlées à l'aire de réception avant toute entrée dans le bâtiment.
## 2.2 Rondes
- ronde d'ouverture à 7 h et ronde de fermeture à 20 h
- rondes nocturnes aléatoires
  - au moins trois rondes par nuit
  - pointage électronique de chaque point de contrôle
## 2.3 Sécurité incendie
Les agents SSIAP^[Service de sécurité incendie et d'assistance à personnes, arrêté du 2 mai 2005 modifié.] assurent la surveillance du système de sécurité incendie et l'évacuation du public.
# 3 Effectifs et qualifications
| Poste | Horaires | Qualification exigée |
| **Chef de poste** | 7 h – 19 h | SSIAP 2 |
| Agent de sécurité | 7 h – 20 h | SSIAP 1 et carte professionnelle |
| Agent de nuit | 20 h – 7 h | Carte professionnelle |
# 4 Main courante
1. consignation de tout événement dans la main courante électronique
2. rapport d'incident transmis sous 24 heures
""")

DOCUMENTS["travaux-voirie-articles"] = ("docx-article", """
Marché public de travaux – Entretien et grosses réparations de la voirie communale – Cahier des clauses techniques particulières.
Le présent document complète le cahier des clauses administratives particulières.
## Article 1 – Objet du marché
Les travaux portent sur l'entretien courant et les grosses réparations des chaussées, trottoirs et ouvrages d'assainissement pluvial de la voirie communale.
## ARTICLE 2 : Durée
Le marché est conclu pour une durée d'un an, reconductible **trois fois** par période d'un an.
## Article 3 – Provenance et qualité des matériaux
Les enrobés sont conformes aux normes de la série NF EN 13108^[Mélanges bitumineux – Spécifications des matériaux.] et leur formule est soumise au maître d'œuvre avant toute application.
| Matériau | Norme | Contrôle |
| **Enrobé BBSG 0/10** | NF EN 13108-1 | Essai de compactage |
| Grave non traitée 0/31,5 | NF EN 13285 | Analyse granulométrique |
## ARTICLE 4 : Mode d'exécution des travaux
- implantation et piquetage contradictoires
- signalisation temporaire de chantier
  - de jour comme de nuit
  - conforme à l'instruction interministérielle
- rabotage et mise en œuvre des enrobés
## Article 5 – Réception des travaux
La réception est prononcée après *levée des réserves* et remise du dossier des ouvrages exécutés.
## ARTICLE 6 : Garanties
1. garantie de parfait achèvement d'un an
2. garantie sur la tenue des enrobés de deux ans
""")

DOCUMENTS["traduction"] = ("fodt", """
Cahier des clauses techniques particulières – Prestations de traduction écrite et d'interprétariat pour les services de l'État en région.
# 1 Objet du marché
Le marché couvre la **traduction écrite** de documents administratifs et l'interprétariat lors de réunions et d'entretiens.
## 1.1 Langues concernées
- anglais, espagnol, allemand et italien
- langues d'Europe de l'Est
  - roumain et bulgare
  - polonais et ukrainien
- arabe littéral et dari
## 1.2 Volumes indicatifs
| Prestation | Volume annuel estimé | Unité |
| **Traduction écrite** | 1 200 000 | Mots |
| Interprétariat consécutif | 350 | Heures |
| Interprétariat par téléphone | 900 | Heures |
# 2 Exigences de qualité
## 2.1 Qualification des traducteurs
Les traducteurs justifient d'un diplôme de traduction ou d'une expérience professionnelle de cinq ans dans la langue concernée^[Les traducteurs experts inscrits près une cour d'appel sont réputés satisfaire à cette exigence.].
## 2.2 Relecture
Toute traduction fait l'objet d'une *relecture par un second traducteur* avant livraison, conformément à la norme [ISO 17100](https://www.iso.org/standard/59149.html).
# 3 Délais
1. documents de moins de 2 000 mots : 3 jours ouvrés
2. documents de 2 000 à 10 000 mots : 7 jours ouvrés
3. au-delà, délai fixé par bon de commande
# 4 Confidentialité
Les documents traduits contiennent des données personnelles ; le titulaire les supprime de ses systèmes à l'issue de la prestation.
""")

DOCUMENTS["ascenseurs"] = ("fodt", """
Cahier des clauses techniques particulières – Maintenance des ascenseurs, monte-charges et portes automatiques du patrimoine hospitalier.
# 1 Objet
Le marché porte sur l'entretien des **42 ascenseurs** et monte-charges du centre hospitalier, ainsi que des portes automatiques des halls d'accueil.
# 2 Contenu de la maintenance
## 2.1 Visites d'entretien
Une visite a lieu toutes les six semaines au minimum^[Article R. 134-2 du code de la construction et de l'habitation.] pour chaque appareil.
### 2.1.1 Opérations systématiques
- vérification du bon fonctionnement des dispositifs de sécurité
- nettoyage de la cuvette et du toit de cabine
  - graissage des guides
  - contrôle des câbles de traction
### 2.1.2 Contrôle annuel
Le titulaire procède chaque année à un essai des parachutes et des limiteurs de vitesse.
## 2.2 Dépannages
| Situation | Délai d'intervention | Disponibilité |
| **Personne bloquée en cabine** | 30 minutes | 24 h sur 24 |
| Appareil à l'arrêt | 4 heures | Jours ouvrés |
| Dysfonctionnement mineur | 24 heures | Jours ouvrés |
# 3 Carnet d'entretien
Le carnet d'entretien est tenu à jour sous forme *dématérialisée* et accessible au service technique de l'hôpital.
1. relevé des interventions
2. pièces remplacées
3. observations et préconisations
""")

DOCUMENTS["collecte-dechets"] = ("fodt", """
Cahier des clauses techniques particulières – Collecte des déchets ménagers et assimilés et exploitation des points d'apport volontaire.
@image
# 1 Périmètre
Le service concerne **14 communes** membres du syndicat, soit environ 62 000 habitants.
@comment Préciser la population municipale au 1er janvier de l'année de notification.
## 1.1 Flux collectés
- ordures ménagères résiduelles
- emballages et papiers
  - en porte-à-porte dans les bourgs
  - en points d'apport volontaire dans les hameaux
- verre, uniquement en apport volontaire
## 1.2 Fréquences
| Flux | Zone urbaine | Zone rurale |
| **Ordures ménagères** | Hebdomadaire | Tous les quinze jours |
| Emballages | Tous les quinze jours | Mensuelle |
# 2 Exécution de la collecte
## 2.1 Véhicules
Les bennes respectent au minimum la norme Euro VI^[Règlement (CE) n° 595/2009 relatif aux émissions des véhicules utilitaires lourds.] et disposent d'un système de pesée embarquée.
@textbox Attention : les tournées du lundi de Pâques et du lundi de Pentecôte sont maintenues.
## 2.2 Refus de collecte
En cas de non-conformité, l'agent appose un *autocollant de refus* sur le bac et le signale dans le rapport de tournée.
# 3 Rapport annuel
1. tonnages collectés par flux et par commune
2. taux de refus de tri
3. kilomètres parcourus et consommation de carburant
""")

DOCUMENTS["archivage-numerisation"] = ("fodt", """
Cahier des clauses techniques particulières – Numérisation et archivage électronique des registres d'état civil.
# 1 Objet
Le marché porte sur la **numérisation** des registres d'état civil de 1860 à 1990 et leur versement dans le système d'archivage électronique.
# 2 Prise en charge des registres
## 2.1 Enlèvement et transport
Les registres sont transportés dans des caisses fermées, accompagnés d'un bordereau de prise en charge signé par l'archiviste.
## 2.2 Manipulation
- aucun registre n'est dérelié
- les volumes fragiles sont numérisés sur un statif en V
  - sans contact avec la vitre
  - avec un éclairage sans ultraviolet
# 3 Caractéristiques des fichiers
| Caractéristique | Fichier de conservation | Fichier de diffusion |
| **Format** | TIFF non compressé | JPEG |
| Résolution | 400 dpi | 200 dpi |
| Profondeur | Couleur 24 bits | Couleur 24 bits |
# 4 Contrôle qualité
Un échantillon de 5 % des images est contrôlé visuellement^[Selon la norme NF ISO 2859-1 relative aux règles d'échantillonnage.] ; au-delà de 1 % d'images défectueuses, le lot est repris en totalité.
Les métadonnées sont produites au format *SEDA 2.1* et validées avant versement, selon le [standard d'échange de données pour l'archivage](https://francearchives.gouv.fr/seda/).
1. vérification de l'exhaustivité des images
2. contrôle de la lisibilité
3. validation du bordereau de versement
""")
