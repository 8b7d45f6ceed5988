use std::process::{Command, Output};

fn samverkan(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(args)
        .env("SAMVERKAN_DATABASE_URL", database_url)
        .output()
        .expect("the samverkan binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}?mode=rwc", dir.path().join("samverkan.db").display())
}

#[test]
fn migrate_creates_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&samverkan(&sqlite_url(&dir), &["migrate"]));
    assert!(out.contains("migrations applied"));
    assert!(dir.path().join("samverkan.db").exists());
    // Migrating again is harmless.
    stdout(&samverkan(&sqlite_url(&dir), &["migrate"]));
}

#[test]
fn demo_prints_the_seed_partner_day_and_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let first = stdout(&samverkan(&url, &["demo"]));
    assert!(first.starts_with("Loaded the demo partner day."), "{first}");
    for fact in [
        "Strategisk partnerträff — 2024-04-26 (heldag)",
        "Drömfabriken",
        "Maria Hildefors, Förbundsdirektör, Kunskapsförbundet Väst",
        "Lena Lindhé, Samverkansstrateg, Högskolan Väst",
        "GKN Aerospace (inga namngivna personer)",
        "Trollhättans stad (inga namngivna personer) [participant, invited]",
        "3. Diskussion: samhällets kompetensbehov — diskussion",
        "6. Elevernas framtidsdrömmar — Tilde och Arsema",
        "Exempel:",
    ] {
        assert!(first.contains(fact), "the summary shows {fact:?}:\n{first}");
    }
    let second = stdout(&samverkan(&url, &["demo"]));
    assert!(
        second.starts_with("The demo partner day was already loaded."),
        "{second}"
    );
    // The same people, in the same order, not twice.
    assert_eq!(
        first.lines().skip(1).collect::<Vec<_>>(),
        second.lines().skip(1).collect::<Vec<_>>()
    );
}

#[test]
fn the_database_url_flag_wins_over_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let flag_url = format!("sqlite://{}?mode=rwc", dir.path().join("flag.db").display());
    stdout(&samverkan(
        &sqlite_url(&dir),
        &["migrate", "--database-url", &flag_url],
    ));
    assert!(dir.path().join("flag.db").exists());
    assert!(!dir.path().join("samverkan.db").exists());
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    let output = samverkan("postgres://nobody@127.0.0.1:1/none", &["migrate"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("samverkan: "), "{stderr}");
}

#[test]
fn generate_is_deterministic_and_quiet_when_piped() {
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        let out = stdout(&samverkan(
            &sqlite_url(&dir),
            &[
                "generate",
                "--organisations",
                "12",
                "--meetings",
                "30",
                "--seed",
                "42",
            ],
        ));
        (dir, out)
    };
    let (_first_dir, first) = run();
    let (_second_dir, second) = run();
    assert!(first.starts_with("Generated 12 organisations"), "{first}");
    assert!(first.contains("30 meetings"), "{first}");
    assert_eq!(first, second, "the same seed gives the same data");
}

#[test]
fn reports_write_to_standard_output_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    stdout(&samverkan(&url, &["demo"]));
    let export_args = [
        "report",
        "attendances",
        "--from",
        "2024-04-26",
        "--to",
        "2024-04-26",
    ];
    let piped = samverkan(&url, &export_args);
    let csv_text = stdout(&piped);
    assert!(piped.stderr.is_empty(), "no progress bar when piped");
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        8 + 5,
        "eight people and five organisations without named people"
    );
    let meeting = rows[0][1].to_owned();

    let file = dir.path().join("närvaro.csv");
    let file_arg = file.to_str().unwrap();
    let mut with_output = export_args.to_vec();
    with_output.extend(["--output", file_arg]);
    assert_eq!(stdout(&samverkan(&url, &with_output)), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv_text);
    assert!(!dir.path().join("närvaro.csv.part").exists());

    let minutes = stdout(&samverkan(
        &url,
        &[
            "report",
            "minutes",
            "--meeting",
            &meeting,
            "--format",
            "md",
            "--lang",
            "en",
        ],
    ));
    assert!(
        minutes.starts_with("# Strategisk partnerträff\n\nMinutes – 26 April 2024\n"),
        "{minutes}"
    );
    assert!(minutes.contains("## Attendees") && minutes.contains("Lena Lindhé"));
    let page = dir.path().join("minutes.html");
    stdout(&samverkan(
        &url,
        &[
            "report",
            "minutes",
            "--meeting",
            &meeting,
            "--output",
            page.to_str().unwrap(),
        ],
    ));
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("<h2>Deltagare</h2>")
    );

    // The partner brief of an organisation of the seed day, as PDF and
    // Markdown; a spreadsheet is refused, as for the minutes.
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let university = rows
        .iter()
        .find(|row| &row[column("organisation_name")] == "Högskolan Väst")
        .map(|row| row[column("organisation_id")].to_owned())
        .expect("Högskolan Väst attended");
    let brief_pdf = dir.path().join("partnerbrief.pdf");
    stdout(&samverkan(
        &url,
        &[
            "report",
            "brief",
            "--organisation",
            &university,
            "--format",
            "pdf",
            "--output",
            brief_pdf.to_str().unwrap(),
        ],
    ));
    let document = lopdf::Document::load_mem(&std::fs::read(&brief_pdf).unwrap()).expect("a PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(
        text.contains("Högskolan Väst")
            && text.contains("Partnerbrief")
            && text.contains("Öppna uppföljningar"),
        "{text}"
    );
    let brief = stdout(&samverkan(
        &url,
        &[
            "report",
            "brief",
            "--organisation",
            &university,
            "--format",
            "md",
            "--lang",
            "en",
        ],
    ));
    assert!(
        brief.starts_with("# Högskolan Väst\n\nPartner brief – "),
        "{brief}"
    );
    assert!(
        brief.contains("## Attended most") && brief.contains("Strategisk partnerträff"),
        "{brief}"
    );
    let refused = samverkan(
        &url,
        &[
            "report",
            "brief",
            "--organisation",
            &university,
            "--format",
            "csv",
        ],
    );
    assert!(!refused.status.success());

    let refused = samverkan(
        &url,
        &["report", "minutes", "--meeting", &meeting, "--format", "xlsx"],
    );
    assert!(!refused.status.success());
    let missing = samverkan(
        &url,
        &[
            "report",
            "minutes",
            "--meeting",
            "01900000-0000-7000-8000-000000000000",
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("samverkan: "));
}

#[test]
fn the_engagement_report_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    stdout(&samverkan(&url, &["demo"]));
    let args = |format: &'static str, lang: &'static str| {
        vec![
            "report",
            "engagement",
            "--from",
            "2024-04-01",
            "--to",
            "2024-04-30",
            "--format",
            format,
            "--lang",
            lang,
        ]
    };
    let piped = samverkan(&url, &args("csv", "sv"));
    assert!(piped.stderr.is_empty(), "no progress bar when piped");
    let csv_text = stdout(&piped);
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(&reader.headers().unwrap()[1], "Möten");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let host = rows
        .iter()
        .find(|row| &row[0] == "Kunskapsförbundet Väst")
        .expect("the host's row");
    assert_eq!(&host[1], "1", "the seed partner day");

    let md = stdout(&samverkan(&url, &args("md", "en")));
    assert!(
        md.starts_with("# Engagement report\n\n1 April 2024 – 30 April 2024\n"),
        "{md}"
    );

    let file = dir.path().join("engagemang.xlsx");
    let mut with_output = args("xlsx", "sv");
    with_output.extend(["--output", file.to_str().unwrap()]);
    let written = samverkan(&url, &with_output);
    assert_eq!(stdout(&written), "");
    assert!(written.stderr.is_empty(), "no progress bar without a terminal");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip");
    assert!(!dir.path().join("engagemang.xlsx.part").exists());

    let pdf = dir.path().join("engagemang.pdf");
    let mut with_output = args("pdf", "sv");
    with_output.extend(["--output", pdf.to_str().unwrap()]);
    assert!(samverkan(&url, &with_output).status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    let document = lopdf::Document::load_mem(&bytes).expect("a PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(
        text.contains("Engagemangsrapport") && text.contains("Högskolan Väst"),
        "{text}"
    );

    let refused = samverkan(&url, &args("docx", "sv"));
    assert!(!refused.status.success());
    let backwards = samverkan(
        &url,
        &[
            "report",
            "engagement",
            "--from",
            "2024-05-01",
            "--to",
            "2024-04-01",
        ],
    );
    assert!(!backwards.status.success());
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("to"));
}

/// Runs `samverkan` with `input` on its standard input.
pub(crate) fn samverkan_with_stdin(database_url: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(args)
        .env("SAMVERKAN_DATABASE_URL", database_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the samverkan binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(input.as_bytes())
        .expect("the password is written");
    drop(stdin);
    child.wait_with_output().expect("the samverkan binary ends")
}

/// The stored password hashes, by e-mail.
async fn password_hashes(database_url: &str) -> Vec<(String, String)> {
    use sqlx::Connection as _;
    let mut db = sqlx::SqliteConnection::connect(database_url).await.unwrap();
    sqlx::query_as(
        "SELECT users.email, user_passwords.hash FROM user_passwords \
         JOIN users ON users.id = user_passwords.user_id ORDER BY users.email",
    )
    .fetch_all(&mut db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_user_gets_a_password_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let add = [
        "user",
        "add",
        "--email",
        "lena.lindhe@example.se",
        "--role",
        "strategist",
        "--password-stdin",
    ];
    let out = stdout(&samverkan_with_stdin(&url, &add, "korrekt häst batteri\n"));
    assert!(out.starts_with("added "), "{out}");
    let hashes = password_hashes(&url).await;
    assert_eq!(hashes.len(), 1);
    assert_eq!(hashes[0].0, "lena.lindhe@example.se");
    assert!(
        hashes[0].1.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        hashes[0].1
    );
    assert!(!hashes[0].1.contains("korrekt"));

    // A new password replaces the old one; the line may end in CR LF.
    let set = [
        "user",
        "set-password",
        "--email",
        "LENA.lindhe@example.se",
        "--password-stdin",
    ];
    let out = stdout(&samverkan_with_stdin(&url, &set, "ett annat lösenord\r\n"));
    assert!(out.contains("password set for lena.lindhe@example.se"), "{out}");
    let replaced = password_hashes(&url).await;
    assert_eq!(replaced.len(), 1);
    assert_ne!(replaced[0].1, hashes[0].1);

    // No hash in the audit trail, which records the change.
    let mut db = {
        use sqlx::Connection as _;
        sqlx::SqliteConnection::connect(&url).await.unwrap()
    };
    let trail: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT action, before, after FROM audit_events ORDER BY id")
            .fetch_all(&mut db)
            .await
            .unwrap();
    let actions: Vec<&str> = trail.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(actions, ["create", "set_password", "set_password"]);
    assert!(!format!("{trail:?}").contains("argon2"), "{trail:?}");
}

#[test]
fn a_refused_password_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let add = [
        "user",
        "add",
        "--email",
        "lena.lindhe@example.se",
        "--role",
        "admin",
        "--password-stdin",
    ];
    let refused = samverkan_with_stdin(&url, &add, "för kort\n");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("password: must be at least 12 characters"),
        "{stderr}"
    );
    // The user was not made either.
    let listed = stdout(&samverkan(&url, &["user", "list"]));
    assert!(listed.is_empty(), "{listed}");

    let set = [
        "user",
        "set-password",
        "--email",
        "ingen@example.se",
        "--password-stdin",
    ];
    let unknown = samverkan_with_stdin(&url, &set, "ett långt lösenord\n");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user has the e-mail address"));
}

#[test]
fn without_a_terminal_or_the_flag_a_user_has_tokens_only() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    // `Command::output` gives the child no standard input: no terminal.
    let added = samverkan(
        &url,
        &["user", "add", "--email", "robot@example.se", "--role", "viewer"],
    );
    let out = stdout(&added);
    assert!(out.starts_with("added "), "{out}");
    let stderr = String::from_utf8_lossy(&added.stderr);
    assert!(stderr.contains("API tokens only"), "{stderr}");

    let set = samverkan(&url, &["user", "set-password", "--email", "robot@example.se"]);
    assert!(!set.status.success());
    let stderr = String::from_utf8_lossy(&set.stderr);
    assert!(stderr.contains("--password-stdin"), "{stderr}");
}
