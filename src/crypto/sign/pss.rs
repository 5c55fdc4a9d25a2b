//! The restrictions an RSASSA-PSS (id-RSASSA-PSS) key carries in its parameters (RFC 4055
//! §3.1, RFC 8017 §A.2.3) and which rsa_pss_pss_* schemes they leave (RFC 8446 §4.2.3).

use rsa::pkcs1::der::asn1::AnyRef;
use rsa::pkcs1::der::{Decode, Encode};
use rsa::pkcs1::RsaPssParams;
use rsa::pkcs8::ObjectIdentifier;

use super::SigHash;

const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const OID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// What an id-RSASSA-PSS key allows. RFC 4055 §3.1: absent parameters mean no restriction;
/// present ones fix the hash (and MGF1 with a hash) and give the *minimum* salt length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PssRestriction {
    /// The only hash the key may be used with; None: any.
    pub hash: Option<SigHash>,
    /// The smallest salt length allowed.
    pub min_salt: usize,
}

impl PssRestriction {
    pub const NONE: PssRestriction = PssRestriction {
        hash: None,
        min_salt: 0,
    };

    /// Whether rsa_pss_pss_<h> (MGF1 with h, salt length = h's length, RFC 8446 §4.2.3) is
    /// within the restriction.
    pub fn allows(&self, h: SigHash) -> bool {
        self.hash.is_none_or(|k| k == h) && self.min_salt <= h.output_len()
    }

    /// Reads the parameters of an id-RSASSA-PSS AlgorithmIdentifier. A restriction that no
    /// TLS scheme can meet (SHA-1, SHA-224, MGF1 with another hash, a salt longer than the
    /// hash) is an error: such a key cannot sign or verify anything in TLS.
    pub fn from_params(params: Option<AnyRef<'_>>) -> Result<PssRestriction, String> {
        let Some(params) = params else {
            return Ok(PssRestriction::NONE);
        };
        let der = params
            .to_der()
            .map_err(|e| format!("the RSASSA-PSS parameters cannot be read ({e})"))?;
        let p = RsaPssParams::from_der(&der)
            .map_err(|e| format!("the RSASSA-PSS parameters cannot be parsed ({e})"))?;
        let hash = hash_of(&p.hash.oid).ok_or_else(|| {
            format!(
                "the RSASSA-PSS key is restricted to hash {}, which no TLS signature scheme uses (RFC 8446 §4.2.3 needs SHA-256, SHA-384 or SHA-512)",
                p.hash.oid
            )
        })?;
        let mgf_hash = p.mask_gen.parameters.as_ref().map(|a| a.oid);
        if p.mask_gen.oid != OID_MGF1 || mgf_hash != Some(p.hash.oid) {
            return Err("the RSASSA-PSS key's mask generation is not MGF1 with its own hash, which no TLS signature scheme uses (RFC 8446 §4.2.3)".into());
        }
        let r = PssRestriction {
            hash: Some(hash),
            min_salt: usize::from(p.salt_len),
        };
        if !r.allows(hash) {
            return Err(format!(
                "the RSASSA-PSS key requires salts of at least {} bytes, longer than its hash: no TLS signature scheme fits (RFC 8446 §4.2.3)",
                r.min_salt
            ));
        }
        Ok(r)
    }
}

fn hash_of(oid: &ObjectIdentifier) -> Option<SigHash> {
    match *oid {
        OID_SHA256 => Some(SigHash::Sha256),
        OID_SHA384 => Some(SigHash::Sha384),
        OID_SHA512 => Some(SigHash::Sha512),
        _ => None,
    }
}
