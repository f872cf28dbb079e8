//! cargo-fuzz wrapper of [`asxh_fuzz_targets::server_request_bodies`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::server_request_bodies(data));
