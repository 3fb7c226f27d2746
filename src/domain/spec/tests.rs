use super::*;

fn ids(spec: &Specification) -> Vec<&str> {
    spec.clauses.iter().map(|c| c.id.as_str()).collect()
}

fn assert_unique_ids(spec: &Specification) {
    let set: HashSet<&str> = ids(spec).into_iter().collect();
    assert_eq!(set.len(), spec.clauses.len(), "duplicate ids: {:?}", ids(spec));
}

/// Parses `previous` and `next` and carries the ids over.
fn carried(previous: &str, next: &str) -> (Specification, Specification) {
    let previous = Specification::parse(previous);
    let mut next = Specification::parse(next);
    carry_ids(&previous, &mut next);
    assert_unique_ids(&next);
    (previous, next)
}

fn id_of<'a>(spec: &'a Specification, title: &str) -> &'a str {
    let clause = spec.clauses.iter().find(|c| c.title == title);
    &clause
        .unwrap_or_else(|| panic!("no clause {title:?} in {:?}", spec.clauses))
        .id
}

#[test]
fn numbering_styles() {
    let cases = [
        (
            "3.2 Maintenance préventive",
            Some("3.2"),
            "Maintenance préventive",
            "maintenance-preventive",
        ),
        ("3.2. Maintenance", Some("3.2"), "Maintenance", "maintenance"),
        ("1) Objet", Some("1"), "Objet", "objet"),
        (
            "10 Critères d'attribution",
            Some("10"),
            "Critères d'attribution",
            "criteres-d-attribution",
        ),
        ("Article 544", Some("544"), "Article 544", "article-544"),
        ("Article 6-1", Some("6-1"), "Article 6-1", "article-6-1"),
        ("Article 373-2-2", Some("373-2-2"), "Article 373-2-2", "article-373-2-2"),
        ("Article 1er", Some("1er"), "Article 1er", "article-1er"),
        ("ARTICLE 2 - Objet", Some("2"), "Objet", "objet"),
        ("Art. 7 : Pénalités", Some("7"), "Pénalités", "penalites"),
        ("Chapitre II – Exécution", Some("II"), "Exécution", "execution"),
        ("IV. Réversibilité", Some("IV"), "Réversibilité", "reversibilite"),
        ("Annexe A", Some("A"), "Annexe A", "annexe-a"),
        (
            "8 bis Astreinte lors des scrutins",
            Some("8 bis"),
            "Astreinte lors des scrutins",
            "astreinte-lors-des-scrutins",
        ),
        ("3.2", Some("3.2"), "3.2", "3-2"),
        ("Objet du marché", None, "Objet du marché", "objet-du-marche"),
        ("Titre du marché", None, "Titre du marché", "titre-du-marche"),
        ("Il était une fois", None, "Il était une fois", "il-etait-une-fois"),
        ("3D et impression", None, "3D et impression", "3d-et-impression"),
        (
            "Œuvre **réalisée** à l'été",
            None,
            "Œuvre réalisée à l'été",
            "oeuvre-realisee-a-l-ete",
        ),
        ("Sécurité `TLS 1.3`", None, "Sécurité TLS 1.3", "securite-tls-1-3"),
    ];
    for (heading, number, title, id) in cases {
        let spec = Specification::parse(&format!("## {heading}\n\nTexte.\n"));
        let clause = &spec.clauses[0];
        assert_eq!(clause.number.as_deref(), number, "{heading}");
        assert_eq!(clause.title, title, "{heading}");
        assert_eq!(clause.id, id, "{heading}");
        assert_eq!(clause.level, 2);
        assert_eq!(clause.body, "\nTexte.\n");
    }
}

#[test]
fn labels_do_not_repeat_the_number() {
    let spec = Specification::parse("## 3.2 Maintenance\n## Article 544\n## Objet\n## 2 Bilan 2024\n## 4.1\n");
    let labels: Vec<String> = spec.clauses.iter().map(Clause::label).collect();
    assert_eq!(
        labels,
        ["3.2 Maintenance", "Article 544", "Objet", "2 Bilan 2024", "4.1"]
    );
}

#[test]
fn explicit_anchors_set_the_id() {
    let spec = Specification::parse(
        "## 3.2 Maintenance {#maintenance-v1}\n## Délais {#delais} ##\n\
         ## Prix \\{#echappe}\n## Doublon {#delais}\n## Mauvais {#a b}\n",
    );
    assert_eq!(
        ids(&spec),
        ["maintenance-v1", "delais", "prix-echappe", "delais-2", "mauvais-a-b"]
    );
    assert_eq!(spec.clauses[0].title, "Maintenance");
    assert_eq!(spec.clauses[0].number.as_deref(), Some("3.2"));
    assert_eq!(spec.clauses[0].anchor.as_deref(), Some("maintenance-v1"));
    assert_eq!(spec.clauses[1].title, "Délais");
    assert_eq!(spec.clauses[2].title, "Prix {#echappe}");
    assert_eq!(spec.clauses[2].anchor, None);
    assert_eq!(spec.clauses[4].title, "Mauvais {#a b}");
}

#[test]
fn code_blocks_quotes_html_and_setext_headings_do_not_split() {
    let text = "## 1 Objet\n\n```sh\n# pas un titre\n## non plus\n```\n\n~~~~\n# toujours pas\n~~~~\n\n\
                \x20   # bloc indenté\n\n> ## citation\n\n<div>\n## dans du HTML\n</div>\n\n\
                Titre souligné\n--------------\n\n#hashtag\n\n## 2 Délais\nTexte.";
    let spec = Specification::parse(text);
    assert_eq!(ids(&spec), ["objet", "delais"]);
    assert!(spec.clauses[0].body.contains("# pas un titre"));
    assert_eq!(spec.clauses[1].body, "Texte.");
    assert_eq!(spec.to_markdown(), text);
}

#[test]
fn the_line_scan_reads_common_texts_as_the_full_parse() {
    let texts = [
        "# Titre\n\n## 1 Objet\nTexte.\n\n```\n# pas un titre\n```\n## 2 Prix ##\n",
        "## A\n~~~~ rust\n# code\n~~~\n# encore du code\n~~~~\n## B *important* & `x`\n",
        "## A\n```a`b\n## B\n    # indenté\n\t# tabulé\n> # citée\n- # en liste\n## C {#ancre}\n",
        "## A\n| a |\n|---|\n## B\n[^1]: note\n## C\r\nfin\r\n### D\n#sans espace\n####### sept\n",
    ];
    for text in texts {
        let scanned = scanned_headings(text).unwrap_or_else(|| panic!("scan declined {text:?}"));
        assert!(!scanned.is_empty());
        assert_eq!(scanned, parsed_headings(text), "{text:?}");
    }
    // What the scan cannot vouch for goes to the full parse.
    for text in [
        "<div>\n# a\n</div>\n",
        "- a\n  # b\n",
        "## [lien]\n\n[lien]: /u\n",
        "a\r# b",
    ] {
        assert_eq!(scanned_headings(text), None, "{text:?}");
    }
}

#[test]
fn an_unclosed_fence_runs_to_the_end() {
    let spec = Specification::parse("## 1 Objet\n```\n## 2 Pas une clause\n");
    assert_eq!(ids(&spec), ["objet"]);
}

#[test]
fn the_only_level_one_heading_is_the_title() {
    let spec = Specification::parse("Brouillon\n# CCTP Maintenance\n\nIntro.\n\n## 1 Objet\nA\n### 1.1 Détail\nB\n");
    assert_eq!(spec.preamble, "Brouillon\n# CCTP Maintenance\n\nIntro.\n\n");
    assert_eq!(ids(&spec), ["objet", "detail"]);
    assert_eq!(spec.clauses[1].level, 3);

    let spec = Specification::parse("# Partie 1\nA\n# Partie 2\nB\n");
    assert_eq!(spec.preamble, "");
    assert_eq!(ids(&spec), ["partie-1", "partie-2"]);

    let spec = Specification::parse("## Objet\n# Annexe\n");
    assert_eq!(ids(&spec), ["objet", "annexe"]);

    let spec = Specification::parse("Seulement du texte.\n");
    assert_eq!(spec.preamble, "Seulement du texte.\n");
    assert!(spec.clauses.is_empty());
}

#[test]
fn duplicate_titles_get_suffixes_without_stealing_later_ids() {
    let spec = Specification::parse("## Délais\n## 2 Délais\n## Délais 2\n## —\n## {#x}\n");
    assert_eq!(ids(&spec), ["delais", "delais-3", "delais-2", "clause", "x"]);
}

#[test]
fn round_trips_byte_for_byte() {
    let texts = [
        "",
        "## Seul",
        "\n\n## A\r\n\r\ntexte\r\n## B\r\n",
        "## A\rtexte\r## B\r",
        "  ## Indenté\n   ### Plus indenté ###\ntexte sans fin",
        "# Titre\n\n## 1 Objet\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: note\n",
        "## A {#a}\n\n```\n## code\n",
    ];
    for text in texts {
        assert_eq!(Specification::parse(text).to_markdown(), text, "{text:?}");
    }
}

#[test]
fn hand_built_clauses_get_a_heading() {
    let spec = Specification {
        preamble: "Intro".into(),
        clauses: vec![Clause {
            number: Some("1".into()),
            title: "Objet".into(),
            level: 2,
            body: "Texte\n".into(),
            ..Clause::default()
        }],
    };
    assert_eq!(spec.to_markdown(), "Intro\n## 1 Objet\nTexte\n");
}

const V1: &str = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
                  ## 2 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n\n\
                  ## 3 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";

#[test]
fn renumbering_keeps_ids() {
    let v2 = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
              ## 2 Garanties\n\nLe matériel est garanti trois ans.\n\n\
              ## 3 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n\n\
              ## 4. Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";
    let (previous, next) = carried(V1, v2);
    for title in ["Objet", "Délais", "Prix"] {
        assert_eq!(id_of(&next, title), id_of(&previous, title));
    }
    assert_eq!(id_of(&next, "Garanties"), "garanties");
}

#[test]
fn moves_keep_ids() {
    let v2 = "# CCTP\n\n## 1 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n\n\
              ## 2 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
              ## 3 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n";
    let (previous, next) = carried(V1, v2);
    assert_eq!(ids(&next), ["prix", "objet", "delais"]);
    assert_eq!(ids(&previous), ["objet", "delais", "prix"]);
}

#[test]
fn edited_body_keeps_id() {
    let v2 = V1.replace("quatre heures ouvrées", "deux heures ouvrées, ou huit heures la nuit");
    let (_, next) = carried(V1, &v2);
    assert_eq!(ids(&next), ["objet", "delais", "prix"]);
}

#[test]
fn retitled_and_renumbered_clause_is_found_by_its_body() {
    let v2 = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
              ## 2 Garanties\n\nLe matériel est garanti trois ans.\n\n\
              ## 3 Délais d'intervention\n\nLe titulaire intervient sous quatre heures ouvrées au plus.\n\n\
              ## 4 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";
    let (_, next) = carried(V1, v2);
    assert_eq!(ids(&next), ["objet", "garanties", "delais", "prix"]);
}

#[test]
fn removed_clause_ids_are_not_reused() {
    let v1 = "## Prix {#tarifs}\nLes prix sont fermes.\n## Prix\nUne seconde clause de prix.\n\
              ## Prix\nUne troisième.\n## Objet\nTexte.\n";
    let v2 = "## Objet\nTexte.\n## Prix\nUne seconde clause de prix.\n\
              ## Tarifs\nUn barème entièrement nouveau.\n## Prix 2\nRien à voir.\n";
    let (previous, next) = carried(v1, v2);
    assert_eq!(ids(&previous), ["tarifs", "prix", "prix-2", "objet"]);
    assert_eq!(ids(&next), ["objet", "prix", "tarifs-2", "prix-2-2"]);
}

#[test]
fn boilerplate_bodies_do_not_link_clauses() {
    let v1 = "## 5 Garantie\nSans objet.\n## 6 Prix\nLes prix sont fermes et définitifs.\n";
    let v2 = "## 6 Prix\nLes prix sont fermes et définitifs.\n## 9 Sous-traitance\nSans objet.\n";
    let (_, next) = carried(v1, v2);
    assert_eq!(ids(&next), ["prix", "sous-traitance"]);
    // A long enough body identifies its clause under any heading.
    let v1 = v1.replace("Sans objet.", "Le matériel est garanti trois ans.");
    let v2 = v2.replace("Sans objet.", "Le matériel est garanti trois ans.");
    let (_, next) = carried(&v1, &v2);
    assert_eq!(ids(&next), ["prix", "garantie"]);
}

#[test]
fn explicit_anchors_win() {
    let v1 = "## 1 Objet\nA b c d.\n## 2 Délais\nE f g h.\n";
    let v2 = "## 1 Objet\nA b c d.\n## 2 Délais {#objet}\nE f g h.\n";
    let (_, next) = carried(v1, v2);
    assert_eq!(ids(&next), ["objet-2", "objet"]);
    // An anchor added later keeps nothing from the slug: the buyer chose it.
    let (_, next) = carried(v1, "## 1 Objet {#obj}\nA b c d.\n## 2 Délais\nE f g h.\n");
    assert_eq!(ids(&next), ["obj", "delais"]);
}

#[test]
fn duplicate_headings_pair_in_order() {
    let v1 = "## Généralités\nLot un.\n## Généralités\nLot deux.\n";
    let v2 = "## Généralités\nLot un modifié.\n## Généralités\nLot deux.\n## Généralités\nLot trois.\n";
    let (_, next) = carried(v1, v2);
    assert_eq!(ids(&next), ["generalites", "generalites-2", "generalites-3"]);
}

#[test]
fn limits_have_actionable_french_messages() {
    assert_eq!(check_limits("## Objet\n"), Ok(()));
    assert_eq!(check_limits(&"a".repeat(MAX_BYTES)), Ok(()));
    let err = check_limits(&"a".repeat(2_500_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Le cahier des charges dépasse la taille maximale de 2 Mo (2,4 Mo reçus). Scindez-le ou allégez-le."
    );
    let err = check_limits(&"a".repeat(MAX_BYTES + 1)).unwrap_err();
    assert!(err.to_string().contains("(2,1 Mo reçus)"), "{err}");
    let many = "## A\n".repeat(MAX_CLAUSES + 214);
    assert_eq!(
        check_limits(&many),
        Err(SpecLimitError::TooManyClauses { clauses: 5_214 })
    );
    assert_eq!(
        check_limits(&many).unwrap_err().to_string(),
        "Le cahier des charges compte 5 214 clauses, au-delà du maximum de 5 000. \
         Regroupez des clauses ou scindez-le en plusieurs documents."
    );
    assert_eq!(check_limits(&"## A\n".repeat(MAX_CLAUSES)), Ok(()));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn markdownish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("# "),
            Just("## "),
            Just("### "),
            Just("####### "),
            Just("#"),
            Just("\n"),
            Just("\r\n"),
            Just("\r"),
            Just("   "),
            Just("\t"),
            Just("```"),
            Just("~~~"),
            Just("> "),
            Just("- "),
            Just("1. "),
            Just("==="),
            Just("---"),
            Just("{#a}"),
            Just("{#"),
            Just("}"),
            Just("\\"),
            Just("Article 5"),
            Just("3.2 "),
            Just("Délais"),
            Just("Prix"),
            Just("é"),
            Just("<div>"),
            Just("| a |"),
            Just("[^1]: "),
            Just("`"),
            Just("*"),
            Just("_"),
            Just("bis "),
            Just("IV. "),
            Just("|---|"),
            Just("[a]: /u '"),
            Just("'"),
            Just("[a]"),
            Just("&amp;"),
            Just("<!--"),
            Just("-->"),
            Just(" "),
            Just("    "),
            Just("* "),
            Just("+ "),
            Just("2) "),
            Just("**"),
            Just("~~"),
            Just("\u{a0}"),
            Just("\0"),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    /// Documents made of headings and bodies, with repeated titles.
    fn sections() -> impl Strategy<Value = String> {
        let heading = prop_oneof![Just("# "), Just("## "), Just("### ")];
        let title = prop_oneof![
            Just("1 Objet"),
            Just("2 Objet"),
            Just("Objet"),
            Just("Article 5"),
            Just("Prix {#prix}"),
            Just("Délais"),
            Just("3.2. Délais"),
            Just("Annexe A"),
        ];
        let section = (heading, title, markdownish()).prop_map(|(h, t, b)| format!("{h}{t}\n{b}\n"));
        proptest::collection::vec(section, 1..10).prop_map(|v| v.concat())
    }

    /// The line scan may decline a text (then the full parse reads it); when it accepts one, it
    /// must read the same headings. It must also accept most texts, or the property would
    /// pass by declining everything: the accepted cases are counted.
    #[test]
    fn scan_agrees_with_the_full_parse() {
        use proptest::test_runner::TestRunner;
        let config = crate::domain::proptest_config();
        let cases = config.cases as usize;
        let mut runner = TestRunner::new(config);
        let accepted = std::cell::Cell::new(0usize);
        runner
            .run(&prop_oneof![markdownish(), htmlless()], |text| {
                if let Some(scanned) = scanned_headings(&text) {
                    accepted.set(accepted.get() + 1);
                    prop_assert_eq!(scanned, parsed_headings(&text));
                }
                Ok(())
            })
            .unwrap();
        assert!(
            accepted.get() * 4 >= cases,
            "the scan read only {} of {cases} texts itself",
            accepted.get()
        );
    }

    /// Like `markdownish`, without HTML: texts the line scan is meant to read on its own.
    fn htmlless() -> impl Strategy<Value = String> {
        markdownish().prop_map(|t| t.replace(['<'], "&lt;"))
    }

    proptest! {
        // Failures are reported in the test output; no regression file in the source tree.
        #![proptest_config(crate::domain::proptest_config())]

        #[test]
        fn parse_is_lossless_with_unique_ids(text in markdownish()) {
            let spec = Specification::parse(&text);
            prop_assert_eq!(spec.to_markdown(), text);
            assert_unique_ids(&spec);
            prop_assert!(spec.clauses.iter().all(|c| !c.id.is_empty() && (1..=6).contains(&c.level)));
        }

        #[test]
        fn carried_ids_are_unique(a in markdownish(), b in markdownish()) {
            let previous = Specification::parse(&a);
            let mut next = Specification::parse(&b);
            carry_ids(&previous, &mut next);
            assert_unique_ids(&next);
        }

        #[test]
        fn an_unchanged_text_keeps_every_id(a in markdownish()) {
            let previous = Specification::parse(&a);
            let mut next = Specification::parse(&a);
            carry_ids(&previous, &mut next);
            prop_assert_eq!(next, previous);
        }

        #[test]
        fn a_removed_clause_takes_its_id_away(a in sections(), k in 0usize..20) {
            let previous = Specification::parse(&a);
            prop_assume!(!previous.clauses.is_empty());
            let k = k % previous.clauses.len();
            let removed = &previous.clauses[k];
            let mut rest = previous.clone();
            rest.clauses.remove(k);
            // Only when the clause is told apart from the others (normalised heading and
            // body) and its removal leaves the rest of the structure as it was.
            let same = |c: &Clause| {
                let key = |c: &Clause| {
                    let heading = format!("{} {}", c.number.as_deref().unwrap_or(""), c.title);
                    (normalize(&heading), c.body.trim().to_owned())
                };
                key(c) == key(removed)
            };
            prop_assume!(!rest.clauses.iter().any(same));
            let mut next = Specification::parse(&rest.to_markdown());
            // Parsed alone, the rest must read as it did (a footnote definition removed with
            // the clause turns a `[^1]` reference elsewhere back into text, changing a title).
            let structure = |s: &Specification| {
                s.clauses.iter().map(|c| (c.heading.clone(), c.number.clone(), c.title.clone())).collect::<Vec<_>>()
            };
            prop_assume!(structure(&next) == structure(&rest));
            carry_ids(&previous, &mut next);
            assert_unique_ids(&next);
            // Unless another clause asks for that id with an explicit anchor.
            let revived = next.clauses.iter().find(|c| c.id == removed.id);
            prop_assert!(revived.is_none_or(|c| c.anchor.as_deref() == Some(c.id.as_str())));
        }
    }
}

#[test]
fn numbers_are_shown_unless_the_title_ends_with_them() {
    let spec = Specification::parse(
        "## 2 Bilan 2024\n\nx\n\n## 3 Délais de 30 jours\n\ny\n\n## Article 544\n\nz\n\n## 4.1 Prix\n",
    );
    let shown: Vec<Option<&str>> = spec.clauses.iter().map(Clause::shown_number).collect();
    assert_eq!(shown, [Some("2"), Some("3"), None, Some("4.1")]);
    let labels: Vec<String> = spec.clauses.iter().map(Clause::label).collect();
    assert_eq!(
        labels,
        ["2 Bilan 2024", "3 Délais de 30 jours", "Article 544", "4.1 Prix"]
    );
}

mod code_civil {
    use super::*;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/code-civil/");

    fn read(name: &str) -> String {
        std::fs::read_to_string(format!("{DIR}{name}")).unwrap_or_else(|e| panic!("{DIR}{name}: {e}"))
    }

    fn changes(kind: &str) -> HashSet<String> {
        let list = read("changed-2013-to-2015.txt");
        list.lines()
            .filter_map(|l| l.strip_prefix(kind))
            .map(|t| t.trim().to_owned())
            .collect()
    }

    #[test]
    fn clause_counts_and_lossless_parse() {
        let v2013 = read("v2013-01-01.md");
        let v2015 = read("v2015-03-22.md");
        let (a, b) = (Specification::parse(&v2013), Specification::parse(&v2015));
        // `grep -c '^## Article'` gives 2,793 and 2,802; `# Code civil` is the title.
        assert_eq!(a.clauses.len(), 2_793);
        assert_eq!(b.clauses.len(), 2_802);
        assert_eq!(a.preamble, "# Code civil\n\n");
        assert_eq!(a.to_markdown(), v2013);
        assert_eq!(b.to_markdown(), v2015);
        assert_eq!(a.clauses[0].id, "article-544");
        assert_unique_ids(&a);
        assert_unique_ids(&b);
        assert!(check_limits(&v2015).is_ok());
        // The fast line scan reads both revisions itself, and as the full parse would.
        for text in [&v2013, &v2015] {
            assert_eq!(scanned_headings(text), Some(parsed_headings(text)));
        }
    }

    #[test]
    fn ids_survive_from_2013_to_2015() {
        let old = Specification::parse(&read("v2013-01-01.md"));
        let mut new = Specification::parse(&read("v2015-03-22.md"));
        carry_ids(&old, &mut new);
        assert_unique_ids(&new);
        let old_by_title: HashMap<&str, &Clause> = old.clauses.iter().map(|c| (c.title.as_str(), c)).collect();
        let old_ids: HashSet<&str> = ids(&old).into_iter().collect();
        let mut added = HashSet::new();
        let mut modified = HashSet::new();
        for clause in &new.clauses {
            match old_by_title.get(clause.title.as_str()) {
                Some(before) => {
                    assert_eq!(clause.id, before.id, "{}", clause.title);
                    if before.body.trim() != clause.body.trim() {
                        modified.insert(clause.title.clone());
                    }
                }
                None => {
                    assert!(
                        !old_ids.contains(clause.id.as_str()),
                        "{} got {}",
                        clause.title,
                        clause.id
                    );
                    added.insert(clause.title.clone());
                }
            }
        }
        assert_eq!(added, changes("added "));
        assert_eq!(added.len(), 9);
        assert_eq!(modified, changes("modified "));
        assert!(changes("removed ").is_empty());
        assert_eq!(old.clauses.len() + added.len(), new.clauses.len());
    }

    /// When every heading of the Code civil changes, ids are still carried by the bodies:
    /// first with the bodies untouched (matched by hashing), then with every body edited (by
    /// similarity). (How long it takes is measured in `benches/diff.rs`.)
    #[test]
    fn ids_survive_every_heading_changing() {
        let v2013 = read("v2013-01-01.md");
        let old = Specification::parse(&v2013);
        let headings_only = v2013.replace("## Article ", "## Art. n° ");
        let bodies_too = headings_only.replace("\n\n## Art.", " Alinéa ajouté.\n\n## Art.");
        let mut kept = usize::MAX;
        for text in [&headings_only, &bodies_too] {
            let mut shifted = Specification::parse(text);
            carry_ids(&old, &mut shifted);
            let same = old
                .clauses
                .iter()
                .zip(&shifted.clauses)
                .filter(|(a, b)| a.id == b.id)
                .count();
            kept = kept.min(same);
        }
        assert!(kept * 100 >= old.clauses.len() * 95, "{kept}");
    }
}
