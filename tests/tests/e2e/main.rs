//! The end-to-end tests, one test binary with a module per part (one link instead of eleven):
//! everything goes through the real binaries, the real PC/SC stack (pcscd + vsmartcard vpcd) and
//! the real server on loopback. Run one part with `cargo test -p asxh-e2e --test e2e verifier::`.

mod accounts;
mod browser;
mod cli_language;
mod console;
mod counter;
mod demo;
mod lists;
mod payment_api;
mod payment_faults;
mod payments;
mod pcsc_card;
mod personalizer;
mod personalizer_lists;
mod register;
mod rolls;
mod server_api;
mod server_faults;
mod server_hardening;
mod server_load_200;
mod server_misuse;
mod server_tls;
mod verifier;
