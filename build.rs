//! Link options of the `jesaisfaire` binary.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The migrations are embedded by `sqlx::migrate!`: a new one must rebuild the binary.
    println!("cargo:rerun-if-changed=migrations");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    // Packed relative relocations (DT_RELR, glibc 2.36 and binutils 2.38 or later): the server
    // binary holds about 50,000 of them, and the loader would otherwise read 1.2 MB of them at
    // every start — 1.5 ms of each command, a tenth of `jesaisfaire diff` (see the README).
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
