//! The bundled example: a service that talks to the Petstore API through a client generated
//! (and guarded) by cargo-contract-guard.
//!
//! `src/generated/petstore.rs` is written by `cargo contract-guard generate`. It carries a
//! compile-time guard: edit that file by hand, or change `specs/petstore.yaml` without
//! re-locking and regenerating, and this crate stops compiling with an error naming the fix.
//!
//! The guard also embeds the client's contract record in the binary:
//! `cargo contract-guard inspect target/debug/petstore-example` lists it, and
//! `cargo contract-guard verify-binary target/debug/petstore-example` checks it against the lock.

mod generated {
    pub mod petstore;
}

use generated::petstore::{Client, ClientInfo as _, types};

/// The Petstore contract version this build was made from, for a health or version endpoint.
/// Compilation fails if `specs/petstore.yaml` no longer has this pinned fingerprint.
const PETSTORE_CONTRACT: &str = contract_macros::fingerprint!("petstore");

fn main() {
    let client = Client::new("https://petstore.example.com/v1");
    let new_pet = types::NewPet {
        name: "doggie".to_string(),
        photo_urls: vec!["https://example.com/doggie.jpg".to_string()],
        status: Some(types::PetStatus::Available),
        tag: None,
    };
    println!("petstore client for {}", client.baseurl());
    println!(
        "health: {}",
        serde_json::json!({"status": "ok", "contracts": {"petstore": PETSTORE_CONTRACT}})
    );
    println!(
        "a createPet request body: {}",
        serde_json::to_string(&new_pet).expect("a NewPet serializes")
    );
}
