//! `make bench`'s baseline: a bare axum handler that answers every GET with one page's bytes
//! and headers, captured from the running portal beforehand (`bench/run.mjs`). What the portal
//! does beyond this (routing, middleware, sessions, rendering) is what the benchmark compares.
//!
//! `raw_baseline LISTEN BODY_FILE HEADERS_FILE`: the headers file holds `name: value` lines.
//! Prints `listening on http://ADDR` once it accepts connections, like the portal.

// A benchmark helper: its output is its address and its errors.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use axum::{
    Router,
    body::Bytes,
    http::{HeaderMap, HeaderName, HeaderValue},
    routing::get,
};
use std::process::ExitCode;

fn read(args: &[String]) -> Result<(String, Bytes, HeaderMap), String> {
    let [listen, body, headers] = args else {
        return Err("usage: raw_baseline LISTEN BODY_FILE HEADERS_FILE".into());
    };
    let body = std::fs::read(body).map_err(|e| format!("{body}: {e}"))?;
    let text = std::fs::read_to_string(headers).map_err(|e| format!("{headers}: {e}"))?;
    let mut map = HeaderMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("not a header line: {line}"))?;
        let name = HeaderName::try_from(name.trim()).map_err(|e| format!("{name}: {e}"))?;
        let value = HeaderValue::try_from(value.trim()).map_err(|e| format!("{value}: {e}"))?;
        map.append(name, value);
    }
    Ok((listen.clone(), Bytes::from(body), map))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (listen, body, headers) = match read(&args) {
        Ok(parts) => parts,
        Err(error) => {
            eprintln!("raw_baseline: {error}");
            return ExitCode::from(2);
        }
    };
    let app = Router::new().fallback(get(move || {
        let (headers, body) = (headers.clone(), body.clone());
        async move { (headers, body) }
    }));
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("raw_baseline: cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(address) => println!("listening on http://{address}"),
        Err(error) => eprintln!("raw_baseline: {error}"),
    }
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("raw_baseline: {error}");
            ExitCode::FAILURE
        }
    }
}
