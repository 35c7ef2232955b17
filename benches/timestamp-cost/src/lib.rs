//! One exported function per build: parse an RFC 3339 timestamp from a JSON string and print it back, so
//! each implementation is measured doing the same job next to serde_json (which the app has anyway).

fn roundtrip(text: &str) -> Option<String> {
    #[cfg(feature = "core")]
    {
        let t = deploydeck_core::timestamp::Timestamp::parse(text).ok()?;
        return Some(t.to_string());
    }
    #[cfg(feature = "time")]
    {
        use time::format_description::well_known::Rfc3339;
        let t = time::OffsetDateTime::parse(text, &Rfc3339).ok()?;
        return t.format(&Rfc3339).ok();
    }
    #[cfg(feature = "chrono")]
    {
        let t = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        return Some(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    #[allow(unreachable_code)]
    Some(text.to_owned())
}

/// # Safety
/// `ptr..ptr+len` must be readable.
#[no_mangle]
pub unsafe extern "C" fn roundtrip_len(ptr: *const u8, len: usize) -> usize {
    let bytes = std::slice::from_raw_parts(ptr, len);
    let Ok(text) = serde_json::from_slice::<String>(bytes) else {
        return 0;
    };
    roundtrip(&text).map_or(0, |s| serde_json::to_string(&s).map_or(0, |j| j.len()))
}
