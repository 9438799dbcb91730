//! `candor build` on fixture sites: what a reader finds in the output, and
//! how an author is told about mistakes.

use crate::common::{NOW, Site, visible_text};

#[test]
fn every_page_exists_with_its_content() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains("Built "), "{}", run.stderr);

    let home = visible_text(&site.out("index.html"));
    assert!(
        home.contains("A laptop with customer records was stolen"),
        "{home}"
    );
    assert!(home.contains("Contained"), "status shown in words: {home}");

    let incident = visible_text(&site.out("incidents/laptop-theft/index.html"));
    for text in [
        "What happened",
        "A laptop was stolen from our office.",
        "Names",
        "Email addresses",
        "Passwords",
    ] {
        assert!(
            incident.contains(text),
            "incident page lacks {text:?}: {incident}"
        );
    }
    assert!(
        incident.contains("Change your password"),
        "matching guidance linked"
    );
    assert!(
        !incident.contains("Freeze your credit"),
        "US guidance does not match a UK password incident"
    );
    assert!(
        incident.contains("Should I change my password?"),
        "FAQ for this incident linked"
    );

    let update = visible_text(&site.out("incidents/laptop-theft/01-first/index.html"));
    assert!(update.contains("We are investigating. This is the first update."));

    let faq = site.out("faq/index.html");
    assert!(faq.contains("id=\"cards\""), "each question is an anchor");
    let faq_text = visible_text(&faq);
    // Categories in order of their lightest entry; entries by weight.
    let order: Vec<usize> = [
        "The incident",
        "Your information",
        "Should I change my password?",
        "Were card numbers taken?",
    ]
    .iter()
    .map(|t| faq_text.find(t).unwrap_or_else(|| panic!("{t} missing")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "FAQ order wrong: {faq_text}"
    );

    assert!(visible_text(&site.out("guidance/index.html")).contains("Change your password"));
    assert!(
        visible_text(&site.out("guidance/passwords/index.html"))
            .contains("Change reused passwords.")
    );
    assert!(
        visible_text(&site.out("verify/index.html"))
            .contains("We only email from help@fixture.example.")
    );
    assert!(site.out("404.html").contains("Page not found"));
    assert!(site.out_exists("style.css"));
    // The contact block is on every page (WCAG 2.2 consistent help).
    for page in [
        "index.html",
        "faq/index.html",
        "verify/index.html",
        "404.html",
    ] {
        assert!(
            site.out(page).contains("0808 157 0000"),
            "{page} has no contact block"
        );
    }
}

#[test]
fn timeline_is_newest_first_with_anchors() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let html = site.out("incidents/laptop-theft/index.html");
    let second = html
        .find("id=\"update-02-second\"")
        .expect("second update anchored");
    let first = html
        .find("id=\"update-01-first\"")
        .expect("first update anchored");
    assert!(second < first, "newest update must come first");
}

#[test]
fn times_are_shown_in_bst_then_gmt_across_the_clock_change() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let html = site.out("incidents/laptop-theft/index.html");
    // 16:30 +01:00 on 24 October is BST; 15:30Z on 26 October is GMT.
    assert!(
        html.contains("<time datetime=\"2026-10-24T15:30:00Z\">24 October 2026, 16:30 BST</time>"),
        "{html}"
    );
    assert!(
        html.contains("<time datetime=\"2026-10-26T15:30:00Z\">26 October 2026, 15:30 GMT</time>"),
        "{html}"
    );
}

#[test]
fn corrections_are_shown_with_their_time() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let text = visible_text(&site.out("incidents/laptop-theft/02-second/index.html"));
    assert!(
        text.contains(
            "Correction, 27 October 2026, 09:00 GMT: We first said two laptops; it was one."
        ),
        "{text}"
    );
}

#[test]
fn a_time_without_offset_is_rejected_with_file_line_and_column() {
    let site = Site::fixture("basic");
    site.write(
        "content/incidents/laptop-theft/05-bad.md",
        "+++\ntitle = \"Bad\"\nat = 2026-11-19T16:30:00\nstatus = \"monitoring\"\n+++\nBody\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: content/incidents/laptop-theft/05-bad.md:3:6: `at`: this time has no UTC offset"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 | at = 2026-11-19T16:30:00"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: write the time with Z (UTC) or an offset"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"));
    assert!(!site.out_exists("index.html"));
}

#[test]
fn five_broken_files_give_five_errors_in_one_run() {
    let site = Site::fixture("basic");
    let dir = "content/incidents/laptop-theft";
    site.write(
        &format!("{dir}/b1.md"),
        "+++\ntitle = \"x\"\nat = 2026-11-19\nstatus = \"monitoring\"\n+++\n",
    );
    site.write(
        &format!("{dir}/b2.md"),
        "+++\ntitle = \"x\"\nat = 2026-11-19T10:00:00Z\nstatus = \"fixed\"\n+++\n",
    );
    site.write(&format!("{dir}/b3.md"), "---\ntitle: x\n---\n");
    site.write(
        "content/faq/b4.md",
        "+++\nquestion = \"x\nweight = 1\n+++\n",
    );
    site.write(
        "content/faq/b5.md",
        "+++\nquestion = \"x\"\nwieght = 1\n+++\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 5, "{}", run.stderr);
    for (file, line) in [
        ("b1.md", 3),
        ("b2.md", 4),
        ("b3.md", 1),
        ("b4.md", 2),
        ("b5.md", 3),
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("{file}:{line}:"))),
            "no error for {file} line {line}: {errors:#?}"
        );
    }
    assert!(
        run.stderr
            .contains("Build failed with 5 errors; nothing was written.")
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let before = site.snapshot("public");
    site.write("content/faq/broken.md", "+++\nquestion = 42\n+++\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(site.snapshot("public"), before);
    // And no staging folder was left beside it.
    let names: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("candor-staging")),
        "{names:?}"
    );
}

/// A build writes its new record entries beside the record before it makes
/// the pages; one that then fails leaves the record as it was, and nothing
/// beside it.
#[test]
fn a_build_that_fails_after_the_record_leaves_the_record_as_it_was() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let record = std::fs::read(site.path("record.jsonl")).unwrap();
    site.write(
        "content/faq/new-question.md",
        "+++\nquestion = \"Is this new?\"\n+++\n\nYes.\n",
    );
    site.write("templates/page.html", "{% block content %}{{ page.title ");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read(site.path("record.jsonl")).unwrap(), record);
    let names: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("candor-tmp")), "{names:?}");
    // Mended, the build records the new answer and publishes that record.
    site.remove("templates/page.html");
    site.build(&[]).assert_ok();
    let now = std::fs::read_to_string(site.path("record.jsonl")).unwrap();
    assert!(now.contains("faq/new-question"));
    assert_eq!(now, site.out("record.jsonl"));
}

#[test]
fn drafts_and_scheduled_updates_are_left_out() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    for (path, bytes) in site.snapshot("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("DRAFT-SECRET-TEXT"), "draft text in {path}");
        assert!(
            !text.contains("SCHEDULED-SECRET-TEXT"),
            "scheduled text in {path}"
        );
        assert!(
            !text.contains("03-draft") && !text.contains("04-scheduled"),
            "link to hidden update in {path}"
        );
    }
    assert!(!site.out_exists("incidents/laptop-theft/03-draft/index.html"));
    assert!(!site.out_exists("incidents/laptop-theft/04-scheduled/index.html"));
    // The scheduled "resolved" update must not close the incident early.
    assert!(visible_text(&site.out("index.html")).contains("Contained"));
}

#[test]
fn a_scheduled_update_appears_once_its_time_has_come() {
    let site = Site::fixture("basic");
    site.candor(&["build", "--now", "2030-01-02T00:00:00Z"])
        .assert_ok();
    assert!(
        site.out("incidents/laptop-theft/index.html")
            .contains("SCHEDULED-SECRET-TEXT")
    );
    // Regression: "There is no security incident under way" read as "all
    // clear" while the scam risk goes on.
    let home = visible_text(&site.out("index.html"));
    assert!(!home.contains("no security incident under way"), "{home}");
    assert!(
        home.contains("The incident is over, but the advice below still holds"),
        "{home}"
    );
    assert!(
        home.contains("Resolved 1 January 2030, 10:00 GMT"),
        "recently resolved incident still shown: {home}"
    );
}

#[test]
fn drafts_flag_shows_drafts_marked_as_such() {
    let site = Site::fixture("basic");
    site.build(&["--drafts"]).assert_ok();
    let text = visible_text(&site.out("incidents/laptop-theft/index.html"));
    assert!(text.contains("DRAFT-SECRET-TEXT"));
    assert!(text.contains("Draft"));
    assert!(
        text.contains("Scheduled for 1 January 2030, 10:00 GMT"),
        "{text}"
    );
}

#[test]
fn build_output_never_has_the_preview_script() {
    let site = Site::fixture("basic");
    site.build(&["--drafts"]).assert_ok();
    for (path, bytes) in site.snapshot("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("_candor"),
            "{path}"
        );
    }
}

#[test]
fn two_builds_with_the_same_now_are_byte_identical() {
    let site = Site::fixture("basic");
    site.build(&["--output", "one"]).assert_ok();
    site.build(&["--output", "two"]).assert_ok();
    let one = site.snapshot("one");
    assert!(!one.is_empty());
    assert_eq!(one, site.snapshot("two"));
}

#[test]
fn source_date_epoch_is_the_default_now() {
    let site = Site::fixture("basic");
    // 2030-01-02: the scheduled update is due.
    site.candor_env(&["build"], &[("SOURCE_DATE_EPOCH", "1893542400")])
        .assert_ok();
    assert!(
        site.out("incidents/laptop-theft/index.html")
            .contains("SCHEDULED-SECRET-TEXT")
    );
    let run = site.candor_env(&["build"], &[("SOURCE_DATE_EPOCH", "soon")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_output_folder_that_is_the_site_itself_is_refused() {
    let site = Site::fixture("basic");
    for out in [".", "content", ".."] {
        let run = site.build(&["--output", out]);
        assert_eq!(run.code, 2, "--output {out}: {}", run.stderr);
        assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    }
    assert!(
        site.path("content/faq/cards.md").exists(),
        "nothing was deleted"
    );
}

#[test]
fn an_unknown_front_matter_key_gets_a_did_you_mean_hint() {
    let site = Site::fixture("basic");
    site.write(
        "content/faq/typo.md",
        "+++\nquestion = \"Q?\"\ncatgory = \"X\"\n+++\nA.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/faq/typo.md:3:1: unknown key `catgory`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: did you mean `category`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_yaml_block_is_told_to_use_toml() {
    let site = Site::fixture("basic");
    site.write("content/faq/yaml.md", "---\nquestion: Q?\n---\nA.\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/faq/yaml.md:1:1: front matter must be TOML"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_error_names_the_template_file_and_line() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: templates/page.html:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1>OVERRIDDEN {{ page.title }}</h1>{% endblock content %}\n",
    );
    site.build(&[]).assert_ok();
    assert!(
        site.out("verify/index.html")
            .contains("OVERRIDDEN How to check")
    );
    // Other templates still come from the built-in theme.
    assert!(
        site.out("faq/index.html")
            .contains("Were card numbers taken?")
    );
}

#[test]
fn links_honour_a_base_url_with_a_path() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://fixture.example/incident/"])
        .assert_ok();
    let html = site.out("verify/index.html");
    assert!(
        html.contains("href=\"/incident/faq/#cards\""),
        "Markdown link prefixed: {html}"
    );
    assert!(html.contains("href=\"/incident/style.css\""));
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://fixture.example/incident/verify/\">")
    );
}

#[test]
fn a_missing_site_is_a_usage_error() {
    let site = Site::fixture("basic");
    let run = site.candor(&["build", "--site", "nowhere", "--now", NOW]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nowhere is not a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_site_builds_without_warnings() {
    let site = Site::example();
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// Regression: a link to a page the site does not have was published
/// (only `check` noticed). It is a build error at its line, with the page
/// it most likely meant.
#[test]
fn broken_internal_links_stop_the_build_with_a_suggestion() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/more.md",
        "+++\ntitle = \"More\"\n+++\n\nSee [our refund policy](/refunds/).\n\nAnd [the guide](/guidance/pasword/), [an anchor](/faq/#nowhere), [fine](/faq/) and [fine too](../verify/).\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: content/pages/more.md:5: the link to /refunds/ leads nowhere"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the link to /guidance/pasword/ leads nowhere"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `/guidance/passwords/`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the link to /faq/#nowhere leads nowhere: no #nowhere"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("/faq/ leads"), "{}", run.stderr);
    assert!(!run.stderr.contains("../verify/ leads"), "{}", run.stderr);
    assert!(!site.out_exists("index.html"), "nothing was written");
}

/// Regression: an update page shared by email or a post kept showing its
/// own status and a long-past "Next update by", with nothing saying the
/// incident had moved on.
#[test]
fn older_update_pages_point_to_the_latest_and_only_it_promises_a_next_update() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let dir = "incidents/customer-database-2026";
    let latest = "2026-11-23-1200-resolved";
    let mut older = 0;
    for entry in std::fs::read_dir(site.path(&format!("public/{dir}"))).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.starts_with("2026-") {
            continue;
        }
        let page = visible_text(&site.out(&format!("{dir}/{name}/index.html")));
        if name == latest {
            assert!(!page.contains("There is newer news"), "{page}");
        } else {
            older += 1;
            assert!(page.contains("There is newer news."), "{name}: {page}");
            assert!(
                page.contains(
                    "Since 23 November 2026, 12:00 GMT the incident's status is: Resolved"
                ),
                "{name}: {page}"
            );
            assert!(
                page.contains("Read the latest update: Our investigation is complete"),
                "{name}"
            );
            assert!(!page.contains("Next update by"), "{name}: {page}");
        }
    }
    assert_eq!(older, 6);
    // The timeline promises a next update only on the latest update.
    let incident = visible_text(&site.out(&format!("{dir}/index.html")));
    assert!(!incident.contains("Next update by"), "{incident}");
}

/// What readers saw wrong on first use: data types lowercased ("us social
/// security numbers"), two "What you can do" headings on the incident page,
/// progress times with no zone, "Cause identified" where no cause was, and
/// a letter with no sign-off.
#[test]
fn first_use_wording_readers_see() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let incident = site.out("incidents/customer-database-2026/index.html");
    assert_eq!(
        incident.matches(">What you can do</h2>").count(),
        1,
        "one heading of that name"
    );
    let progress =
        &incident[incident.find("progress-heading").unwrap()..incident.find("</ol>").unwrap()];
    let progress = visible_text(progress);
    assert!(progress.contains("16 Nov, 08:40 GMT"), "{progress}");
    assert!(!incident.contains("Cause identified"));
    let guidance = visible_text(&site.out("guidance/us-credit-freeze/index.html"));
    assert!(
        guidance.contains("US Social Security numbers"),
        "{guidance}"
    );
    assert!(!guidance.contains("us social security"), "{guidance}");
    let letter =
        std::fs::read_to_string(site.path("notices/customer-database-2026/letter.html")).unwrap();
    let letter = visible_text(&letter);
    assert!(
        letter.contains("Yours sincerely, Northbridge Computer Repairs Ltd"),
        "{letter}"
    );
}

/// Template overrides that match no theme template were ignored silently;
/// an unclosed `{% if %}` was reported where Tera stopped; and the hints
/// pointed to a README a user with only the binary does not have.
#[test]
fn template_overrides_are_explained_and_can_be_copied_from_the_theme() {
    let site = Site::fixture("basic");
    site.write("templates/updat.html", "x");
    site.write("templates/contact.html", "x");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("warning: templates/updat.html: this template replaces no theme template"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `templates/update.html`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("did you mean `templates/partials/contact.html`?"),
        "{}",
        run.stderr
    );

    // `candor templates` copies what the hints point to.
    let run = site.candor(&["templates", "page.html", "partials/contact.html"]);
    run.assert_ok();
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "templates/page.html",
            "templates/partials/contact.html",
            "templates/README.md"
        ]
    );
    let run = site.candor(&["templates", "contact.html"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `partials/contact.html`?"),
        "{}",
        run.stderr
    );
    site.build(&[]).assert_ok();

    // An unclosed block is reported where it opens.
    let page = std::fs::read_to_string(site.path("templates/page.html")).unwrap();
    let line = page
        .lines()
        .position(|l| l.contains("{% block content %}"))
        .unwrap()
        + 2;
    let mut lines: Vec<&str> = page.lines().collect();
    lines.insert(line - 1, "{% if page.description %}");
    site.write("templates/page.html", &lines.join("\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!(
            "error: templates/page.html:{line}:1: `{{% if %}}` is never closed"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("add `{% endif %}` where this block should end"),
        "{}",
        run.stderr
    );
}

/// Regression (data loss): `--output ~/Documents`, `--output SITE/.git`, a
/// `--notices` folder with the author's files and a `public/` that is a
/// symbolic link each had their files deleted. candor replaces a folder
/// only when it is empty or it wrote it (it holds a `.candor-output` file).
#[test]
fn folders_candor_did_not_write_are_never_replaced() {
    let site = Site::fixture("basic");
    let mine = site.root.parent().unwrap().join("Documents");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("tax-return.pdf"), "mine").unwrap();
    std::fs::create_dir_all(site.path(".git")).unwrap();
    std::fs::write(site.path(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    for args in [
        vec!["--output", mine.to_str().unwrap()],
        vec!["--output", ".git"],
        vec!["--notices", mine.to_str().unwrap()],
    ] {
        let run = site.build(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("holds files candor did not write"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(mine.join("tax-return.pdf")).unwrap(),
        "mine"
    );
    assert!(site.path(".git/HEAD").is_file());

    // public/ as a link: followed only to a folder candor may replace.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&mine, site.path("public")).unwrap();
        let run = site.build(&[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(mine.join("tax-return.pdf")).unwrap(),
            "mine"
        );
        std::fs::remove_file(site.path("public")).unwrap();
        let empty = site.root.parent().unwrap().join("www");
        std::fs::create_dir_all(&empty).unwrap();
        std::os::unix::fs::symlink(&empty, site.path("public")).unwrap();
        site.build(&[]).assert_ok();
        assert!(empty.join("index.html").is_file());
        assert!(empty.join(".candor-output").is_file());
        // Its own output is replaced by the next build.
        site.build(&[]).assert_ok();
        assert!(site.path("public").is_symlink(), "the link itself stays");
    }
}

/// "identified" read "Cause identified" even where no cause was known. Its
/// label is "Identified", and an author can word any update's status
/// (`status_label`), on its page, in the timeline, the banner and the feed.
#[test]
fn an_author_words_the_status_where_the_label_would_say_too_much() {
    let site = Site::fixture("basic");
    let file = "content/incidents/laptop-theft/02-second.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    let status_line = text
        .lines()
        .find(|l| l.starts_with("status = "))
        .unwrap()
        .to_string();
    site.write(
        file,
        &text.replace(
            &status_line,
            "status = \"identified\"\nstatus_label = \"We know how they got in\"",
        ),
    );
    site.forget_record();
    site.build(&[]).assert_ok();
    let update = visible_text(&site.out("incidents/laptop-theft/02-second/index.html"));
    assert!(update.contains("We know how they got in"), "{update}");
    let incident = visible_text(&site.out("incidents/laptop-theft/index.html"));
    assert!(incident.contains("We know how they got in"), "{incident}");
    assert!(site.out("feed.xml").contains("We know how they got in"));
    assert!(!incident.contains("Cause identified"));
    site.write(file, &text.replace(&status_line, "status = \"identified\""));
    site.forget_record();
    site.build(&[]).assert_ok();
    let incident = visible_text(&site.out("incidents/laptop-theft/index.html"));
    assert!(incident.contains("Identified"), "{incident}");
}
