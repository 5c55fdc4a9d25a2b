//! SOCKS5 (RFC 1928) CONNECT, with username/password authentication (RFC 1929) when
//! credentials are given. Each step is reported as an `Event::Info`.

use std::net::{IpAddr, TcpStream};
use std::time::Duration;

use super::error::ProxyError;
use super::Proxy;
use crate::event::{Event, Info, SocksAddress};
use crate::net::plain::{printable, Plain};
use crate::net::target::Target;

pub(super) fn connect(
    s: &mut TcpStream,
    p: &Proxy,
    target: &Target,
    timeout: Duration,
    ev: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    let mut io = Plain::new(s, timeout, "proxy");
    authenticate(&mut io, p, ev)?;
    request(&mut io, p, target, ev)
}

/// Method selection (RFC 1928 §3): 0x00 no authentication, 0x02 username/password
/// (RFC 1929 §2) when credentials are given.
fn authenticate(io: &mut Plain, p: &Proxy, ev: &mut dyn FnMut(Event)) -> Result<(), ProxyError> {
    let proxy = p.display();
    let methods: &[u8] = if p.auth.is_some() {
        &[0x00, 0x02]
    } else {
        &[0x00]
    };
    let mut hello = vec![5, methods.len() as u8];
    hello.extend_from_slice(methods);
    ev(Event::Info(Info::SocksMethodsOffered {
        user_password: p.auth.is_some(),
    }));
    io.write(&hello)?;
    let r = io.read_exact(2, "SOCKS5 method selection")?;
    if r[0] != 5 {
        return Err(ProxyError::NotSocks5 {
            proxy,
            version: r[0],
        });
    }
    match r[1] {
        0x00 => {
            ev(Event::Info(Info::SocksNoAuthentication));
            Ok(())
        }
        0x02 => {
            let Some((u, pw)) = &p.auth else {
                return Err(ProxyError::SocksUnofferedUserPass { proxy });
            };
            user_password(io, &proxy, u, pw, ev)
        }
        0xff if p.auth.is_some() => Err(ProxyError::SocksNoAcceptableMethod { proxy }),
        0xff => Err(ProxyError::SocksAuthRequired { proxy }),
        method => Err(ProxyError::SocksUnofferedMethod { proxy, method }),
    }
}

/// Username/password authentication (RFC 1929 §2).
fn user_password(
    io: &mut Plain,
    proxy: &str,
    u: &str,
    pw: &str,
    ev: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    ev(Event::Info(Info::SocksUserPassword {
        user: printable(u.as_bytes()),
    }));
    let (ub, pb) = (u.as_bytes(), pw.as_bytes());
    if ub.len() > 255 || pb.len() > 255 {
        return Err(ProxyError::SocksCredentialsTooLong);
    }
    let mut m = vec![1, ub.len() as u8];
    m.extend_from_slice(ub);
    m.push(pb.len() as u8);
    m.extend_from_slice(pb);
    io.write(&m)?;
    let a = io.read_exact(2, "SOCKS5 authentication status")?;
    if a[1] != 0 {
        return Err(ProxyError::SocksAuthRejected {
            proxy: proxy.to_string(),
            status: a[1],
        });
    }
    ev(Event::Info(Info::SocksAuthenticated));
    Ok(())
}

/// The CONNECT request and its reply (RFC 1928 §4, §6). Host names go to the proxy to
/// resolve (ATYP 3), IP literals as themselves.
fn request(
    io: &mut Plain,
    p: &Proxy,
    target: &Target,
    ev: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    let proxy = p.display();
    let mut req = vec![5, 1, 0];
    let how = match target.host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            req.push(1);
            req.extend_from_slice(&ip.octets());
            SocksAddress::Ipv4
        }
        Ok(IpAddr::V6(ip)) => {
            req.push(4);
            req.extend_from_slice(&ip.octets());
            SocksAddress::Ipv6
        }
        Err(_) => {
            let h = target.host.as_bytes();
            if h.len() > 255 {
                return Err(ProxyError::SocksHostTooLong);
            }
            req.push(3);
            req.push(h.len() as u8);
            req.extend_from_slice(h);
            SocksAddress::HostName
        }
    };
    req.extend_from_slice(&target.port.to_be_bytes());
    ev(Event::Info(Info::SocksConnect {
        target: target.display(),
        address: how,
    }));
    io.write(&req)?;
    let h = io.read_exact(4, "SOCKS5 reply")?;
    if h[0] != 5 {
        return Err(ProxyError::SocksMalformedReply {
            proxy,
            version: h[0],
        });
    }
    if h[1] != 0 {
        return Err(ProxyError::SocksConnectFailed {
            proxy,
            target: target.display(),
            code: h[1],
        });
    }
    // The bound address, which we skip.
    let n = match h[3] {
        1 => 4,
        4 => 16,
        3 => io.read_exact(1, "SOCKS5 reply")?[0] as usize,
        atyp => return Err(ProxyError::SocksUnknownAddressType { proxy, atyp }),
    };
    io.read_exact(n + 2, "SOCKS5 reply")?;
    ev(Event::Info(Info::SocksConnected {
        target: target.display(),
        reply: h[1],
    }));
    Ok(())
}
