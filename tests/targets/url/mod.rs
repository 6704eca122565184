//! The url target: the generic property; every special-purpose range and
//! embedding at its edges, judged by the guard and by the oracle's separate
//! table; every host spelling of the issue; names and their near misses;
//! DNS pinning against rebinding; a pinned target used end to end by a
//! real HTTP/1.1 exchange with a server on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener};
use std::time::Duration;

use secfuzz::url::oracle::{self, ranges, Spec};
use secfuzz::url::{
    special_address, OutboundPolicy, StaticResolver, SystemResolver, UrlError, UrlTarget,
};

/// Every generated input holds every invariant, on the structured path
/// (check, then resolve with the input's answer) and the raw path.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<UrlTarget>(1000)
}

fn v4(x: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(x))
}
fn v6(x: u128) -> IpAddr {
    IpAddr::V6(Ipv6Addr::from(x))
}

/// The addresses at and around every range of the oracle's table: first,
/// second, last, one before, one after.
fn edges() -> Vec<IpAddr> {
    let mut out = Vec::new();
    for r in ranges::all() {
        let max = if r.v4 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        let mut xs = vec![r.first, r.last, r.first + (r.last - r.first) / 2];
        if r.first > 0 {
            xs.push(r.first - 1);
        }
        if r.last < max {
            xs.push(r.last + 1);
        }
        if r.first < r.last {
            xs.push(r.first + 1);
        }
        for x in xs {
            out.push(if r.v4 { v4(x as u32) } else { v6(x) });
        }
    }
    out
}

/// The guard's table and the oracle's agree at every edge of every range:
/// the first and last address of each are refused, and an address just
/// outside is refused by one exactly when the other refuses it.
#[test]
fn every_range_edge_is_judged_as_the_independent_table_judges_it() {
    let mut mismatches = Vec::new();
    for a in edges() {
        let guard = special_address(a);
        let oracle = ranges::refused(a);
        if guard.is_some() != oracle.is_some() {
            mismatches.push(format!("{a}: guard {guard:?}, oracle {oracle:?}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    for r in ranges::all() {
        for x in [r.first, r.last] {
            let a = if r.v4 { v4(x as u32) } else { v6(x) };
            assert!(
                special_address(a).is_some(),
                "{} {}: {a} accepted",
                r.cidr,
                r.name
            );
        }
    }
}

fn embeddings(a: Ipv4Addr) -> Vec<(&'static str, Ipv6Addr)> {
    let x = u128::from(u32::from(a));
    vec![
        ("mapped", Ipv6Addr::from(0xffff_0000_0000 | x)),
        ("nat64", Ipv6Addr::from((0x0064_ff9b << 96) | x)),
        ("6to4", Ipv6Addr::from((0x2002 << 112) | (x << 80) | 1)),
        (
            "teredo-client",
            Ipv6Addr::from((0x2001_0000 << 96) | (0x0808_0808 << 64) | (!x & 0xffff_ffff)),
        ),
        (
            "teredo-server",
            Ipv6Addr::from((0x2001_0000 << 96) | (x << 64) | 0xf7f7_f7f7),
        ),
    ]
}

/// Every IPv4 edge, embedded every way the guard unwraps, is judged like
/// the IPv4 address itself (by the guard, and by the oracle's octet reading).
#[test]
fn every_ipv4_edge_embedded_in_ipv6_is_judged_like_itself() {
    let mut bad = Vec::new();
    for a in edges() {
        let IpAddr::V4(a4) = a else { continue };
        let plain = ranges::refused(a).is_some();
        for (how, e) in embeddings(a4) {
            let guard = special_address(IpAddr::V6(e)).is_some();
            let oracle = ranges::refused(IpAddr::V6(e)).is_some();
            if guard != plain || oracle != plain {
                bad.push(format!(
                    "{how} {e} of {a4}: plain {plain}, guard {guard}, oracle {oracle}"
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_named_addresses_and_embeddings_are_refused_and_public_ones_pass() {
    for s in [
        "169.254.169.254",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "::",
        "::1",
        "64:ff9b::10.0.0.1",
        "64:ff9b:1::a00:1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        // Teredo, server 65.54.227.120, client 127.0.0.1 obfuscated.
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "100.64.0.0",
        "100.127.255.255",
        "198.18.0.1",
        "192.0.0.170",
        "255.255.255.255",
        "0.0.0.0",
        "224.0.0.1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "fc00::1",
        "2001:db8::1",
        "100::1",
    ] {
        let a: IpAddr = s.parse().unwrap();
        assert!(special_address(a).is_some(), "{s} accepted by the guard");
        assert!(ranges::refused(a).is_some(), "{s} accepted by the oracle");
    }
    for s in [
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.0",
        "172.32.0.0",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
        // Teredo, server 65.54.227.120, client 8.8.8.8 obfuscated.
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
        "2001:4860:4860::8888",
    ] {
        let a: IpAddr = s.parse().unwrap();
        assert_eq!(special_address(a), None, "{s}");
        assert_eq!(ranges::refused(a), None, "{s}");
    }
}

fn http_policy() -> OutboundPolicy {
    OutboundPolicy::builder().scheme("http").build().unwrap()
}

/// Every host spelling of the issue, and more, reaches the guard as the
/// address it stands for and is refused.
#[test]
fn every_spelling_of_an_internal_address_is_refused() {
    let p = http_policy();
    for url in [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://0X7F.0.0.1/",
        "http://127.1/",
        "http://127.0.1/",
        "http://127.0.0.1./",
        "http://０x7f.1/",
        "http://１２７．０．０．１/",
        "http://127。0。0。1/",
        "http://%31%32%37%2e%30%2e%30%2e%31/",
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://0xa9fea9fe/",
        "http://2852039166/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        "http://[fd00:ec2::254]/",
        "http://[::]/",
        "http://[::1]/",
        "http://[0000:0000:0000:0000:0000:0000:0000:0001]/",
        "http://0/",
        "http://0.0.0.0/",
        "http://10.1/",
        "http://100.64.1/",
        "http://192.168.1/",
    ] {
        let r = p.check(url);
        assert!(
            matches!(r, Err(UrlError::SpecialAddress { .. })),
            "{url}: {r:?}"
        );
        oracle::judge_check(
            url,
            &Spec {
                schemes: vec!["http", "https"],
                ..Spec::default()
            },
            &r,
        )
        .unwrap();
    }
    // Spellings the parser refuses outright.
    for url in [
        "http://[::1%25eth0]/",
        "http://[::1%eth0]/",
        "http://256.0.0.1/",
        "http://127.0.0.0.1/",
        "http://0x100000000/",
        "http://1.2.3.09/",
        "http://[::ffff:127.0.0.01]/",
    ] {
        assert!(matches!(p.check(url), Err(UrlError::Parse { .. })), "{url}");
    }
}

#[test]
fn controls_whitespace_backslashes_userinfo_schemes_and_ports_are_refused() {
    let p = OutboundPolicy::default();
    for url in [
        "https://exa\tmple.com/",
        "https://example.com\n/",
        " https://example.com/",
        "https://example.com/ ",
        "https:\\\\example.com\\",
        "https://example.com\\@evil.com/",
        "https://example.com\0/",
    ] {
        assert!(
            matches!(p.check(url), Err(UrlError::ForbiddenCharacter { .. })),
            "{url:?}"
        );
    }
    for url in [
        "https://user@example.com/",
        "https://user:pass@example.com/",
        "https://:pass@example.com/",
        "https://api.example.com@evil.com/",
    ] {
        assert_eq!(p.check(url), Err(UrlError::Userinfo), "{url}");
    }
    for url in [
        "http://example.com/",
        "ftp://example.com/",
        "wss://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
    ] {
        assert!(
            matches!(p.check(url), Err(UrlError::Scheme { .. })),
            "{url}"
        );
    }
    assert!(matches!(
        p.check("https://example.com:8443/"),
        Err(UrlError::Port { port: 8443 })
    ));
    assert!(matches!(
        p.check("https://example.com:22/"),
        Err(UrlError::Port { port: 22 })
    ));
    // The default port written out is the default port.
    assert_eq!(
        p.check("https://example.com:443/").unwrap().as_str(),
        "https://example.com/"
    );
    // What an earlier parser might take for the host is the path, query or
    // fragment here: the host judged is evil.com.
    for url in [
        "https://evil.com#@api.example.com/",
        "https://evil.com?@api.example.com/",
        "https://evil.com/@api.example.com/",
    ] {
        let u = p.check(url).unwrap();
        assert_eq!(u.host_str(), Some("evil.com"), "{url}");
    }
    assert!(p
        .check(&format!("https://example.com/{}", "a".repeat(9000)))
        .is_err());
}

#[test]
fn localhost_internal_and_trailing_dot_names_are_refused() {
    let p = OutboundPolicy::default();
    for url in [
        "https://localhost/",
        "https://LOCALHOST/",
        "https://localhost./",
        "https://a.localhost/",
        "https://a.b.LocalHost/",
        "https://ｌｏｃａｌｈｏｓｔ/",
        "https://metadata.google.internal/",
        "https://printer.local/",
        "https://router.home.arpa/",
        "https://example.com./",
        "https://example.com../",
        "https://a..example.com/",
    ] {
        assert!(
            matches!(
                p.check(url),
                Err(UrlError::InternalName { .. } | UrlError::TrailingDot { .. })
            ),
            "{url}: {:?}",
            p.check(url)
        );
    }
    for url in [
        "https://localhost.example.com/",
        "https://mylocalhost.com/",
        "https://example.com/",
        "https://xn--bcher-kva.example/",
        "https://bücher.example/",
    ] {
        assert!(p.check(url).is_ok(), "{url}: {:?}", p.check(url));
    }
}

#[test]
fn allow_and_deny_lists_match_exactly_or_at_a_dot_boundary() {
    let p = OutboundPolicy::builder()
        .allow_host("api.example.com")
        .allow_domain("partner.example.net")
        .deny_host("old.partner.example.net")
        .build()
        .unwrap();
    for ok in [
        "https://api.example.com/",
        "https://API.example.com/",
        "https://partner.example.net/",
        "https://a.partner.example.net/",
        "https://a.b.partner.example.net/x",
    ] {
        assert!(p.check(ok).is_ok(), "{ok}: {:?}", p.check(ok));
    }
    for bad in [
        "https://evilpartner.example.net/",
        "https://evil-partner.example.net/",
        "https://partner.example.net.evil.com/",
        "https://a.api.example.com/",
        "https://api.example.co/",
        "https://api.example.comx/",
        "https://pi.example.com/",
        "https://example.net/",
        "https://xpartner.example.net/",
        "https://old.partner.example.net/",
        "https://8.8.8.8/",
        "https://[2001:4860:4860::8888]/",
    ] {
        assert!(p.check(bad).is_err(), "{bad} accepted");
    }
    assert!(OutboundPolicy::builder()
        .allow_domain("Example.com")
        .build()
        .is_err());
    assert!(OutboundPolicy::builder().scheme("gopher").build().is_err());
}

#[test]
fn every_resolved_address_is_checked_and_pinned() {
    let p = OutboundPolicy::default();
    let url = p.check("https://rebind.example.com/x").unwrap();
    let public = v4(0x5db8_d822);
    for private in [
        v4(0x7f00_0001),
        v4(0xa9fe_a9fe),
        "::ffff:10.0.0.1".parse().unwrap(),
        "fd00:ec2::254".parse().unwrap(),
    ] {
        let r = StaticResolver::new().with("rebind.example.com", [public, private]);
        assert!(
            matches!(p.resolve(&url, &r), Err(UrlError::ResolvedToSpecial { addr, .. }) if addr == private),
            "{private}"
        );
        let r = StaticResolver::new().with("rebind.example.com", [private, public]);
        assert!(p.resolve(&url, &r).is_err(), "{private} first");
    }
    let r = StaticResolver::new().with("rebind.example.com", [public, v4(0x0808_0808), public]);
    let t = p.resolve(&url, &r).unwrap();
    assert_eq!(t.addrs().len(), 2);
    assert!(t.addrs().iter().all(|a| a.port() == 443));
    assert_eq!(t.host(), "rebind.example.com");
    let none = StaticResolver::new().with("rebind.example.com", []);
    assert!(matches!(
        p.resolve(&url, &none),
        Err(UrlError::NoAddresses { .. })
    ));
    assert!(matches!(
        p.resolve(&url, &StaticResolver::new()),
        Err(UrlError::Resolve { .. })
    ));
    // An address host is its own resolution, with the system resolver too.
    let lit = p.check("https://8.8.8.8/").unwrap();
    assert_eq!(
        p.resolve(&lit, &SystemResolver).unwrap().addrs()[0].to_string(),
        "8.8.8.8:443"
    );
    // resolve re-checks the URL it is given.
    let raw = ::url::Url::parse("https://127.0.0.1/").unwrap();
    assert!(p.resolve(&raw, &SystemResolver).is_err());
}

/// One HTTP/1.1 request over the pinned connection: what a client does
/// with a [`secfuzz::url::PinnedTarget`].
fn http_get(target: &secfuzz::url::PinnedTarget) -> String {
    let mut s = target.connect(Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let url = target.url();
    let path = &url[::url::Position::BeforePath..];
    let host = match url.port() {
        Some(p) => format!("{}:{p}", target.host()),
        None => target.host().to_owned(),
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// A server on 127.0.0.1 answering one request with what it received.
fn serve_once() -> (u16, std::thread::JoinHandle<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 1024];
        while !req.ends_with(b"\r\n\r\n") {
            let n = c.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            req.extend_from_slice(&buf[..n]);
        }
        let req = String::from_utf8_lossy(&req).into_owned();
        let body = "pinned";
        write!(
            c,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        req
    });
    (port, h)
}

#[test]
fn a_pinned_target_is_fetched_end_to_end_from_a_local_server_allowed_by_an_explicit_policy() {
    let (port, server) = serve_once();
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    // The default policy refuses the server, by address and by name.
    let default = OutboundPolicy::default();
    assert!(default.check(&format!("http://127.0.0.1:{port}/")).is_err());
    let strict_http = OutboundPolicy::builder()
        .scheme("http")
        .port(port)
        .build()
        .unwrap();
    let by_name = strict_http
        .check(&format!("http://hooks.example.com:{port}/"))
        .unwrap();
    let dns = StaticResolver::new().with("hooks.example.com", [loopback]);
    assert!(matches!(
        strict_http.resolve(&by_name, &dns),
        Err(UrlError::ResolvedToSpecial { .. })
    ));
    // The test policy lets exactly 127.0.0.1 through.
    let test_policy = OutboundPolicy::builder()
        .scheme("http")
        .port(port)
        .allow_address(loopback)
        .build()
        .unwrap();
    assert!(test_policy
        .check(&format!("http://127.0.0.2:{port}/"))
        .is_err());
    let url = test_policy
        .check(&format!("http://hooks.example.com:{port}/hook?id=1"))
        .unwrap();
    let target = test_policy.resolve(&url, &dns).unwrap();
    assert_eq!(target.addrs(), [std::net::SocketAddr::new(loopback, port)]);
    let response = http_get(&target);
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with("pinned"), "{response}");
    let request = server.join().unwrap();
    assert!(
        request.starts_with("GET /hook?id=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains(&format!("\r\nHost: hooks.example.com:{port}\r\n")),
        "{request}"
    );

    // An address URL, resolved by the system resolver.
    let (port, server) = serve_once();
    let test_policy = OutboundPolicy::builder()
        .scheme("http")
        .port(port)
        .allow_address(loopback)
        .build()
        .unwrap();
    let url = test_policy
        .check(&format!("http://127.0.0.1:{port}/"))
        .unwrap();
    let target = test_policy.resolve(&url, &SystemResolver).unwrap();
    assert!(http_get(&target).ends_with("pinned"));
    assert!(server.join().unwrap().starts_with("GET / HTTP/1.1"));
}

/// The independent host parse follows the WHATWG IPv4 rules.
#[test]
fn the_independent_host_parse_follows_the_whatwg_number_rules() {
    use oracle::{own_host, OwnHost};
    let v4 = |a, b, c, d| OwnHost::V4(Ipv4Addr::new(a, b, c, d));
    assert_eq!(own_host("2130706433"), v4(127, 0, 0, 1));
    assert_eq!(own_host("0177.0.0.1"), v4(127, 0, 0, 1));
    assert_eq!(own_host("0x7f.1"), v4(127, 0, 0, 1));
    assert_eq!(own_host("127.1"), v4(127, 0, 0, 1));
    assert_eq!(own_host("127.0.0.1."), v4(127, 0, 0, 1));
    assert_eq!(own_host("0x"), v4(0, 0, 0, 0));
    assert_eq!(own_host("１２７．０．０．１"), v4(127, 0, 0, 1));
    assert_eq!(own_host("%31%32%37.0.0.1"), v4(127, 0, 0, 1));
    assert_eq!(own_host("256.0.0.1"), OwnHost::Failure);
    assert_eq!(own_host("1.2.3.4.5"), OwnHost::Failure);
    assert_eq!(own_host("09.1"), OwnHost::Failure);
    assert_eq!(own_host("1.0x"), v4(1, 0, 0, 0));
    assert_eq!(own_host("EXAMPLE.com"), OwnHost::Name("example.com".into()));
    assert_eq!(own_host("1.2.3.a"), OwnHost::Name("1.2.3.a".into()));
}

/// `secfuzz check url --json`: the default policy, the normalized URL as
/// output.
#[test]
fn check_url_json_prints_the_normalized_url() {
    let out = assert_cmd::Command::cargo_bin("secfuzz")
        .unwrap()
        .args(["check", "url", "-", "--json"])
        .write_stdin("https://ＥＸＡＭＰＬＥ.com:443/a\nhttps://0x7f.1/\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["verdict"], "accepted");
    assert_eq!(lines[0]["output"], "https://example.com/a");
    assert_eq!(lines[1]["verdict"], "rejected");
    assert!(lines[1]["reason"].as_str().unwrap().contains("loopback"));
}

/// The generator reaches every outcome the oracles judge: accepted URLs,
/// pinned targets, refusals of each kind (a generator that only produced
/// refusals would make the property vacuous).
#[test]
fn the_generator_reaches_acceptance_pinning_and_every_kind_of_refusal() {
    use secfuzz::url::UrlInput;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    let (mut accepted, mut pinned) = (0, 0);
    for _ in 0..4000 {
        let bytes: Vec<u8> = (0..96)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let input: UrlInput = secfuzz::harness::decode_value(&bytes).unwrap();
        let policy = input.policy.spec().build();
        match policy.check(&input.payload()) {
            Ok(url) => {
                accepted += 1;
                let host = url.host_str().unwrap_or("").to_owned();
                let r = StaticResolver::new().with(&host, input.answer());
                if policy.resolve(&url, &r).is_ok() {
                    pinned += 1;
                }
            }
            Err(e) => {
                let k = format!("{e:?}");
                *kinds
                    .entry(k[..k.find([' ', '{', '(']).unwrap_or(k.len())].to_owned())
                    .or_default() += 1;
            }
        }
    }
    eprintln!("accepted {accepted}, pinned {pinned}, refusals {kinds:?}");
    assert!(
        accepted >= 200 && pinned >= 50,
        "accepted {accepted}, pinned {pinned}"
    );
    for k in [
        "SpecialAddress",
        "InternalName",
        "Userinfo",
        "Scheme",
        "Port",
        "ForbiddenCharacter",
        "Parse",
        "TrailingDot",
        "NotAllowed",
        "Denied",
    ] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 5, "{k}: {kinds:?}");
    }
}
