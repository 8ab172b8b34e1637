//! The `portal` binary as an operator meets it: bad configuration, migrations, failed start-up.

use std::process::{Command, Output};
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
