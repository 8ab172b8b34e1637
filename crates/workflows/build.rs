//! Turns the PostgreSQL tests on when `TEST_POSTGRES_URL` is set at build time; without it they
//! are compiled as `#[ignore]`d, so `cargo test` lists them as ignored with the reason instead of
//! letting them pass without running.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=TEST_POSTGRES_URL");
    if std::env::var_os("TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
