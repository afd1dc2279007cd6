//! Request bodies the generator cannot send by itself (issue 19, "fewer losses"): a
//! `multipart/form-data` body is generated as a struct and sent as its parts, and form, text
//! and XML bodies keep their media types. One crate holds a client per body kind; its program
//! calls each operation against a local server that captures the requests, and the test
//! checks the bytes on the wire. Builds a real crate with cargo (dependencies shared in
//! `target/contract-guard-it`).

use crate::compile_guard::{guarded_project_from, run_with_serde_json};
use crate::support::{assert_has, cargo_command_in_shared_target, fixture};

/// The program: a one-thread server on 127.0.0.1 that answers every request with a fixed
/// response and prints it (method, path, `Content-Type`, body bytes escaped), and the calls.
const MAIN: &str = r#"
mod generated { pub mod multipart; pub mod form; pub mod text; pub mod xml; }

use std::io::{Read, Write};

fn serve(listener: std::net::TcpListener, requests: usize) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for _ in 0..requests {
            let (mut stream, _) = listener.accept().unwrap();
            let mut bytes = Vec::new();
            let mut buffer = [0u8; 4096];
            let body_start = loop {
                let n = stream.read(&mut buffer).unwrap();
                bytes.extend_from_slice(&buffer[..n]);
                if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
                    break at + 4;
                }
            };
            let head = String::from_utf8_lossy(&bytes[..body_start]).to_ascii_lowercase();
            let header = |name: &str| {
                head.lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string))
            };
            let length: usize = header("content-length").map_or(0, |l| l.trim().parse().unwrap());
            while bytes.len() < body_start + length {
                let n = stream.read(&mut buffer).unwrap();
                bytes.extend_from_slice(&buffer[..n]);
            }
            let request_line = head.lines().next().unwrap().to_string();
            println!("request: {request_line}");
            println!("content-type: {}", header("content-type").unwrap_or_default());
            println!("body: {}", bytes[body_start..].escape_ascii());
            let reply: &[u8] = if request_line.starts_with("post /notes") {
                b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 6\r\nconnection: close\r\n\r\nstored"
            } else {
                b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            };
            stream.write_all(reply).unwrap();
        }
    })
}

fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = serve(listener, 4);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let multipart = generated::multipart::Client::new(&base);
        let body = generated::multipart::types::UploadPhotoBody {
            photo: vec![0x89, b'P', b'N', b'G', 0xff, 0x00],
            caption: "a \"good\" dog".to_string(),
            rating: Some(5),
            tags: vec!["a".to_string(), "b".to_string()],
            meta: Some(generated::multipart::types::Meta { camera: Some("x1".to_string()) }),
        };
        let status = multipart.upload_photo(7, &body).await.unwrap().status();
        println!("status: {status}");

        let form = generated::form::Client::new(&base);
        let body = generated::form::types::LogInBody {
            user: "ann".to_string(),
            password: "p&ss word".to_string(),
            remember: Some(true),
        };
        let status = form.log_in(&body).await.unwrap().status();
        println!("status: {status}");

        let text = generated::text::Client::new(&base);
        let response = text.put_note("line one\nline two".to_string()).await.unwrap();
        println!("status: {}", response.status());

        let xml = generated::xml::Client::new(&base);
        let status = xml.put_pet("<pet><name>Rex</name></pet>".to_string()).await.unwrap().status();
        println!("status: {status}");
    });
    server.join().unwrap();
}
"#;

#[test]
fn multipart_form_text_and_xml_bodies_go_on_the_wire_as_the_spec_says() {
    let project = guarded_project_from("bodies_on_the_wire", "bodies/multipart.yaml", "multipart");
    for kind in ["form", "text", "xml"] {
        let spec = format!("specs/{kind}.yaml");
        std::fs::copy(fixture(&format!("bodies/{kind}.yaml")), project.path(&spec)).unwrap();
        project
            .run(&[
                "add",
                kind,
                &spec,
                "--output",
                &format!("src/generated/{kind}.rs"),
            ])
            .expect(0);
    }
    let run = project.run(&["generate"]).expect(0);
    // Only the XML body's schema is not checked (the caller writes the XML).
    assert_has(
        &run.stderr,
        "Degraded bodies_on_the_wire/xml: 1 lossy rewrite(s) recorded in the header and the lock (normalize/body-text ×1)",
    );
    assert_eq!(run.stderr.matches("Degraded").count(), 1, "{}", run.stderr);
    let client = project.read("src/generated/multipart.rs");
    assert_has(&client, "// lossy: none\n");
    assert_has(&client, "pub mod multipart_form");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        "[dependencies]\ntokio = { version = \"1\", features = [\"rt\"] }\n",
    );
    project.write("Cargo.toml", &manifest);
    project.write("src/lib.rs", "");
    project.write("src/main.rs", MAIN);

    let output = cargo_command_in_shared_target(&project, &["run", "--quiet"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the clients compile and run:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let boundary = "contract-guard-boundary-0";
    let multipart = [
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"photo\\\"; filename=\\\"photo\\\"\\r\\nContent-Type: application/octet-stream\\r\\n\\r\\n\\x89PNG\\xff\\x00\\r\\n"),
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"caption\\\"\\r\\n\\r\\na \\\"good\\\" dog\\r\\n"),
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"rating\\\"\\r\\n\\r\\n5\\r\\n"),
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"tags\\\"\\r\\n\\r\\na\\r\\n"),
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"tags\\\"\\r\\n\\r\\nb\\r\\n"),
        format!("--{boundary}\\r\\nContent-Disposition: form-data; name=\\\"meta\\\"\\r\\nContent-Type: application/json\\r\\n\\r\\n{{\\\"camera\\\":\\\"x1\\\"}}\\r\\n"),
        format!("--{boundary}--\\r\\n"),
    ]
    .concat();
    let expected = format!(
        "request: post /pets/7/photo http/1.1\n\
         content-type: multipart/form-data; boundary={boundary}\n\
         body: {multipart}\n\
         status: 204 No Content\n\
         request: post /login http/1.1\n\
         content-type: application/x-www-form-urlencoded\n\
         body: password=p%26ss+word&remember=true&user=ann\n\
         status: 204 No Content\n\
         request: post /notes http/1.1\n\
         content-type: text/plain\n\
         body: line one\\nline two\n\
         status: 200 OK\n\
         request: put /pets http/1.1\n\
         content-type: application/xml\n\
         body: <pet><name>Rex</name></pet>\n\
         status: 204 No Content\n"
    );
    assert_eq!(stdout, expected);
}

/// Properties whose Rust names collide (`created-at`/`created_at`, `foo`/`Foo`) get distinct
/// fields (`normalize/property-name`), each reading and writing its own JSON name.
#[test]
fn properties_whose_rust_names_collide_round_trip_under_their_own_names() {
    let project = guarded_project_from(
        "colliding_property_names",
        "names/colliding-properties.yaml",
        "events",
    );
    let client = project.read("src/generated/events.rs");
    assert_has(&client, "// lossy: none\n");
    assert!(
        !client.contains('\u{2063}'),
        "no placeholder is left in the client"
    );
    project.write("src/lib.rs", "");
    let output = run_with_serde_json(
        &project,
        r##"
mod generated { pub mod events; }
use generated::events::types::Event;

fn main() {
    let json = r#"{"created-at":"dash","created_at":"underscore","foo":1,"Foo":2}"#;
    let event: Event = serde_json::from_str(json).unwrap();
    println!("{} {:?} {:?} {:?}", event.created_at_2, event.created_at, event.foo, event.foo_2);
    let back: serde_json::Value = serde_json::to_value(&event).unwrap();
    let expected: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(back, expected);
    println!("round trip: ok");
}
"##,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the client compiles and round-trips:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "dash Some(\"underscore\") Some(1) Some(2)\nround trip: ok\n"
    );
}
