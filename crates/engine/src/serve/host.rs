//! Which `Host` the preview answers. A web page the editor visits can point a
//! DNS name of its own at 127.0.0.1 and then read the preview from script
//! (DNS rebinding): the request then carries that foreign name as `Host`.
//! The preview answers only the address it serves, `localhost` and the
//! loopback addresses, on its port; everything else gets a 403.
//!
//! This module owns that rule and the start-up warning for addresses
//! beyond loopback; `http` applies it to each request.

use std::net::IpAddr;

/// The address the server listens on, as requests must name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedAddress {
    pub interface: IpAddr,
    pub port: u16,
}

impl ServedAddress {
    /// Whether a request whose `Host` header is `host` may be answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some((name, port)) = host.and_then(split_host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        // A DNS name other than localhost is what rebinding uses: refused.
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            return false;
        };
        // Bound to every interface, any of the machine's addresses may be
        // typed; an address literal cannot be rebound.
        ip.is_loopback() || ip == self.interface || self.interface.is_unspecified()
    }

    /// A warning to print at start when the preview is reachable from other
    /// machines, or `None` on loopback.
    pub fn exposure_warning(&self) -> Option<String> {
        if self.interface.is_loopback() {
            return None;
        }
        let whom = if self.interface.is_unspecified() {
            "on every network interface of this machine".to_string()
        } else {
            format!("on {}", self.interface)
        };
        Some(format!(
            "warning: the preview listens {whom}, port {}: anyone who can reach this machine \
             can read the site, drafts included. Use `--interface 127.0.0.1` (the default) \
             unless others must see it.",
            self.port
        ))
    }
}

/// `name:port` or `[v6]:port` into its parts; no port means 80.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if host.is_empty() {
        return None;
    }
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        let name = &host[..end + 2];
        match after.strip_prefix(':') {
            Some(p) => (name, p),
            None if after.is_empty() => (name, "80"),
            None => return None,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, p)) => (name, p),
            None => (host, "80"),
        }
    };
    Some((name, port.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(ip: &str, port: u16) -> ServedAddress {
        ServedAddress {
            interface: ip.parse().expect("an address"),
            port,
        }
    }

    #[test]
    fn loopback_names_on_the_port_are_answered() {
        let s = served("127.0.0.1", 1111);
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(s.allows(Some(host)), "{host}");
        }
    }

    #[test]
    fn foreign_names_and_ports_are_refused() {
        let s = served("127.0.0.1", 1111);
        for host in [
            "attacker.example:1111",
            "localhost.attacker.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "192.168.1.5:1111",
            "",
            "[::1:1111",
            "[::1]x:1111",
        ] {
            assert!(!s.allows(Some(host)), "{host}");
        }
        assert!(!s.allows(None));
    }

    #[test]
    fn every_interface_accepts_address_literals_only() {
        let s = served("0.0.0.0", 80);
        assert!(s.allows(Some("192.168.1.5")));
        assert!(s.allows(Some("[fe80::1]:80")));
        assert!(!s.allows(Some("intranet.example")));
        assert!(s.exposure_warning().is_some());
        assert!(served("127.0.0.1", 80).exposure_warning().is_none());
        assert!(served("::1", 80).exposure_warning().is_none());
    }

    #[test]
    fn a_named_interface_is_its_own_address() {
        let s = served("10.0.0.7", 8080);
        assert!(s.allows(Some("10.0.0.7:8080")));
        assert!(!s.allows(Some("10.0.0.8:8080")));
    }
}
