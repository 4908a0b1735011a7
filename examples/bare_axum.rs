//! The throughput baseline of `scripts/load.sh`: a bare axum server that answers one path with
//! fixed bytes (the mock's own response, captured by the script), on the same runtime setup.
//!
//! `cargo run --release --example bare_axum -- PORT PATH BODY_FILE`

use axum::Router;
use axum::http::header;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let port = args.next().expect("PORT");
    let path = args.next().expect("PATH");
    let body = std::fs::read(args.next().expect("BODY_FILE")).expect("readable body file");
    let body = axum::body::Bytes::from(body);
    let app = Router::new().route(
        &path,
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body.clone()) }),
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap();
    println!("bare axum listening on http://127.0.0.1:{port}{path}");
    axum::serve(listener, app).await.unwrap();
}
