//! The bundled example: a service that talks to the Petstore API through a client generated
//! (and guarded) by cargo-contract-guard.
//!
//! `src/generated/petstore.rs` is written by `cargo contract-guard generate`. It carries a
//! compile-time guard: edit that file by hand, or change `specs/petstore.yaml` without
//! re-locking and regenerating, and this crate stops compiling with an error naming the fix.

mod generated {
    pub mod petstore;
}

use generated::petstore::{Client, ClientInfo as _, types};

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
        "a createPet request body: {}",
        serde_json::to_string(&new_pet).expect("a NewPet serializes")
    );
}
