//! One contract, two runtimes: this crate talks to the Todo API through a Rust client, and the
//! web front-end in `web/` through TypeScript types, both generated from `specs/todo.yaml` at
//! its pinned fingerprint. `cargo contract-guard check` fails when either was generated from
//! another version of the spec than the pin (`stale-generated`, `stale-artifact`) or was edited
//! by hand.

mod generated {
    pub mod todo;
}

use generated::todo::{Client, ClientInfo as _, types};

/// The Todo contract version this build was made from.
const TODO_CONTRACT: &str = contract_macros::fingerprint!("todo");

fn main() {
    let client = Client::new("https://todo.example.com/v1");
    let new_todo = types::NewTodo {
        title: "water the plants".parse().expect("a short title is valid"),
    };
    println!("todo client for {}", client.baseurl());
    println!(
        "health: {}",
        serde_json::json!({"status": "ok", "contracts": {"todo": TODO_CONTRACT}})
    );
    println!(
        "a createTodo request body: {}",
        serde_json::to_string(&new_todo).expect("a NewTodo serializes")
    );
}
