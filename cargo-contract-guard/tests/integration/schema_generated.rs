//! `#[schema]` and the code the generator writes: a boxed (recursive) optional property is left
//! out when it is `None` (the client never sends `null` for it), and the attribute's check
//! accepts the generated types.

use contract_core::gates::schema_check::{self, Direction};

use crate::compile_guard::guarded_project_from;
use crate::support::cargo_command_in_shared_target;

/// The generated struct `name` of the `types` module in `code`.
fn generated_type(code: &str, name: &str) -> syn::DeriveInput {
    let file = syn::parse_file(code).expect("the generated code parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => {
                Some(syn::parse2(quote::ToTokens::to_token_stream(s)).unwrap())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no generated type `{name}`"))
}

#[test]
fn a_boxed_optional_property_is_left_out_not_sent_as_null() {
    let project =
        guarded_project_from("recursive-optional", "recursive-optional.yaml", "recursive");
    let code = project.read("src/generated/recursive.rs");
    // The generator boxes the recursive property: `Box<Option<InnerError>>`.
    let inner = generated_type(&code, "InnerError");
    let field = quote::ToTokens::to_token_stream(&inner).to_string();
    assert!(
        field.contains("Box < :: std :: option :: Option < InnerError > >"),
        "{field}"
    );
    let document = contract_core::spec::load(&project.path("specs/recursive.yaml"))
        .unwrap()
        .document;
    for name in ["InnerError", "Error"] {
        let item = generated_type(&code, name);
        let found = schema_check::check_component(
            &document,
            "specs/recursive.yaml",
            &item,
            name,
            Direction::Both,
        );
        let errors: Vec<String> = found
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "`{name}` rejected: {errors:?}");
    }

    let manifest = project
        .read("Cargo.toml")
        .replace("[dependencies]\n", "[dependencies]\nserde_json = \"1.0\"\n");
    project.write("Cargo.toml", &manifest);
    project.write(
        "src/main.rs",
        "mod generated { pub mod recursive; }\n\
         use generated::recursive::types::InnerError;\n\
         fn main() {\n\
         \x20   let absent = InnerError::default();\n\
         \x20   let nested = InnerError { code: None, inner_error: Box::new(Some(InnerError::default())) };\n\
         \x20   println!(\"{}\", serde_json::to_string(&absent).unwrap());\n\
         \x20   println!(\"{}\", serde_json::to_string(&nested).unwrap());\n\
         }\n",
    );
    let output = cargo_command_in_shared_target(&project, &["run", "--quiet"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the client compiles and runs:\n{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{}\n{\"innerError\":{}}\n"
    );
}
