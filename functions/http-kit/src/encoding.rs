//! Compressing answers on the fly. The public data a phone fetches for
//! offline use (catalogue pages, forms, provinces and communes) is JSON that
//! gzip shrinks to a fifth; over 2G that is the difference between seconds and
//! a minute. The app's own files are compressed ahead of time (static-files).
//!
//! gzip, not brotli: every browser takes it, and flate2's pure-Rust backend
//! builds for wasm32-wasip2 with no C toolchain; brotli at a level fast enough
//! per request gains little over it on JSON this size.

use std::io::Write;

/// Answers smaller than this are sent as they are: the gzip frame would eat the gain.
pub const MIN_COMPRESSED_LEN: usize = 1024;

/// Whether an `Accept-Encoding` header value accepts `coding` (by name; `q=0` refuses it).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| p.trim().strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0)));
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// `bytes` in gzip format (level 6, zlib's default: most of the gain for little CPU).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn accept_encoding_is_read_like_browsers_write_it() {
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("br", "gzip"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("x-gzip-ish", "gzip"));
    }

    #[test]
    fn gzip_round_trips_and_shrinks_json() {
        let json = serde_json::to_vec(&(0..400).map(|i| serde_json::json!({"code": format!("1.{i:06}"), "name": "Đăng ký khai sinh"})).collect::<Vec<_>>()).unwrap();
        let packed = gzip(&json);
        assert_eq!(&packed[..2], &[0x1f, 0x8b], "gzip magic");
        assert!(packed.len() * 5 < json.len(), "{} of {}", packed.len(), json.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, json);
    }
}
