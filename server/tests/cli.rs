//! The `portal` binary as an operator meets it: bad configuration, migrations, failed start-up.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};
use store::testing::TestDatabase;

fn portal(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portal"));
    command
        .args(args)
        .env_remove("APP_CONFIG")
        .env("RUST_LOG", "info");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("portal runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_configuration_value_stops_start_up_with_a_message_naming_the_key() {
    for (key, env, value) in [
        ("listen", "APP_LISTEN", "localhost"),
        (
            "database_url",
            "APP_DATABASE_URL",
            "mysql://root@localhost/portal",
        ),
        ("privacy_contact", "APP_PRIVACY_CONTACT", "not an address"),
        ("public_url", "APP_PUBLIC_URL", "not a url"),
    ] {
        let output = portal(&["serve"], &[(env, value)]);
        assert_eq!(output.status.code(), Some(2), "{key}");
        let message = stderr(&output);
        assert!(
            message.contains("configuration error") && message.contains(key),
            "{key}: {message}"
        );
    }
}

#[test]
fn a_configuration_file_that_does_not_exist_stops_start_up() {
    let output = portal(&["--config", "/nonexistent/portal.toml", "migrate"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/portal.toml"));
}

#[test]
fn portal_migrate_creates_the_sqlite_file_and_its_folder_then_exits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fresh/portal.db");
    let url = format!("sqlite://{}", path.display());
    let output = portal(&["migrate"], &[("APP_DATABASE_URL", &url)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(path.exists());
    let again = portal(&["migrate"], &[("APP_DATABASE_URL", &url)]);
    assert!(again.status.success(), "migrating twice is a no-op");
}

#[tokio::test]
async fn a_failing_migration_stops_migrate_and_serve_with_a_message() {
    let db = TestDatabase::sqlite();
    let url = db.url().expose().to_owned();
    assert!(
        portal(&["migrate"], &[("APP_DATABASE_URL", &url)])
            .status
            .success()
    );

    let pool = sqlx::SqlitePool::connect(&url).await.expect("pool");
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
        .execute(&pool)
        .await
        .expect("tamper with an applied migration");
    pool.close().await;

    for command in ["migrate", "serve"] {
        let output = portal(
            &[command],
            &[("APP_DATABASE_URL", &url), ("APP_LISTEN", "127.0.0.1:0")],
        );
        assert_eq!(output.status.code(), Some(1), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains("migrating the database failed"),
            "{command}: {message}"
        );
    }
}

/// Runs `portal create-staff` with the password piped on standard input.
fn create_staff(db: &TestDatabase, args: &[&str], password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("create-staff")
        .args(args)
        .env_remove("APP_CONFIG")
        .env("APP_DATABASE_URL", db.url().expose())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("portal runs");
    // A command refused before it reads the password closes the pipe early; that is fine.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes());
    child.wait_with_output().expect("portal finishes")
}

#[tokio::test]
async fn create_staff_makes_a_support_account_once_per_address_and_never_echoes_the_password() {
    let db = TestDatabase::sqlite();
    let password = "lantaarnpaal kookt zeven soepen";
    let output = create_staff(
        &db,
        &["--role", "support", "--email", "Anna.Support@Example.nl"],
        password,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Created support account acc_"), "{stdout}");
    assert!(
        stdout.contains("A***@E***.nl"),
        "the address is shown redacted: {stdout}"
    );
    let everything = format!("{stdout}{}", stderr(&output));
    assert!(
        !everything.contains("lantaarnpaal"),
        "the password is never echoed"
    );
    assert!(
        !everything.contains("Anna.Support"),
        "the whole address is never printed"
    );

    let store = store::connect(db.url()).await.expect("connect");
    let account = store
        .account_by_email_key("anna.support@example.nl")
        .await
        .expect("read")
        .expect("created");
    assert_eq!(account.role, "support");
    assert!(account.password_hash.starts_with("$argon2id$"));
    let audit = store.recent_audit(10).await.expect("audit");
    assert_eq!(audit[0].action, "staff.created.support");
    assert_eq!(audit[0].subject.as_deref(), Some(account.id.as_str()));
    store.close().await;

    let again = create_staff(
        &db,
        &["--role", "admin", "--email", "anna.support@example.nl"],
        password,
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn create_staff_refuses_weak_passwords_customers_and_unknown_roles_and_changes_nothing() {
    let db = TestDatabase::sqlite();
    let weak = create_staff(
        &db,
        &["--role", "admin", "--email", "a@example.nl"],
        "password123",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(
        stderr(&weak).contains("too easy to guess"),
        "{}",
        stderr(&weak)
    );

    let short = create_staff(&db, &["--role", "admin", "--email", "a@example.nl"], "kort");
    assert!(
        stderr(&short).contains("shorter than 8 characters"),
        "{}",
        stderr(&short)
    );

    let customer = create_staff(
        &db,
        &["--role", "customer", "--email", "a@example.nl"],
        "lantaarnpaal kookt zeven soepen",
    );
    assert!(
        stderr(&customer).contains("not a staff role"),
        "{}",
        stderr(&customer)
    );

    let unknown = create_staff(&db, &["--role", "root", "--email", "a@example.nl"], "x");
    assert_eq!(unknown.status.code(), Some(2), "clap refuses the role");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = store::connect(db.url()).await.expect("connect");
        assert!(
            store
                .account_by_email_key("a@example.nl")
                .await
                .expect("read")
                .is_none()
        );
        store.close().await;
    });
}

#[tokio::test]
async fn seed_demo_creates_the_readmes_demo_logins_once_and_refuses_in_production() {
    let db = TestDatabase::sqlite();
    let url = db.url().expose().to_owned();

    let refused = portal(
        &["seed-demo"],
        &[
            ("APP_DATABASE_URL", &url),
            ("APP_ENVIRONMENT", "production"),
            (
                "APP_PROVIDER_API__BASE_URL",
                "https://api.operator-online.example",
            ),
            ("APP_PROVIDER_API__API_KEY", "a-real-key-from-the-provider"),
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("production"),
        "{}",
        stderr(&refused)
    );
    let store = store::connect(db.url()).await.expect("store");
    assert!(
        store.staff_accounts().await.expect("read").is_empty(),
        "nothing created"
    );

    for _ in 0..2 {
        let output = portal(&["seed-demo"], &[("APP_DATABASE_URL", &url)]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let readme = include_str!("../../README.md");
    for login in workflows::accounts::demo::DEMO_LOGINS {
        let row = store
            .account_by_email_key(login.email)
            .await
            .expect("read")
            .expect("created");
        assert_eq!(row.role, login.role.as_str());
        assert!(row.email_confirmed_at.is_some());
        assert_eq!(
            row.provider_subscriber.as_deref(),
            login.provider_subscriber,
            "customers are the stand-in's demo subscribers"
        );
        let profile = store.profile(&row.id).await.expect("read");
        assert_eq!(
            profile.and_then(|p| p.name).is_some(),
            login.profile.is_some(),
            "customers have a profile"
        );
        assert!(
            readme.contains(login.email) && readme.contains(login.password),
            "the README lists {}",
            login.email
        );
    }
    assert_eq!(
        store.staff_accounts().await.expect("read").len(),
        2,
        "created once"
    );
    store.close().await;
    db.remove().await.expect("cleanup");
}
