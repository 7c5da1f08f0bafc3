//! The three gateways as HTTP calls: what to send each, and what its answer
//! means. Plain Rust, tested natively; `send` makes the calls.
//!
//! - **SMS**: a generic gateway. `POST sms_gateway_url`, `authorization:
//!   Bearer sms_gateway_token`, JSON `{"to": "+84…", "text": …,
//!   "idempotency_key": …}`. 2xx is taken; 408, 425, 429 and 5xx are tried
//!   again later; any other answer is a refusal, recorded as said.
//! - **Zalo ZNS**: `POST zalo_zns_url` (Zalo's `/message/template`),
//!   `access_token: zalo_access_token`, JSON `{"phone": "84…", "template_id":
//!   zalo_template_id, "template_data": {"code", "message", "link"},
//!   "tracking_id": …}`. Zalo answers 200 with `{"error": 0}` when it took the
//!   message and a negative `error` with its `message` when not.
//! - **E-mail**: an HTTP mail API. `POST mail_api_url`, `authorization:
//!   Bearer mail_api_token`, JSON `{"from": mail_from, "to", "subject",
//!   "text", "idempotency_key"}`, read like the SMS gateway.
//!
//! A variable left empty turns its channel off: the message is refused with
//! that reason, never an error of the request that made it.

use motcua_shared::notify::{Channel, Outcome, Recipient};
use serde_json::json;

/// The gateways as the operator configured them (Spin variables).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gateways {
    pub sms: Option<Gateway>,
    pub zalo: Option<Gateway>,
    pub email: Option<Gateway>,
    pub zalo_template_id: String,
    pub mail_from: String,
}

/// Where to post and the credential to post with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    pub url: String,
    pub token: String,
}

impl Gateways {
    /// From variables: `get(name)` is the value, "" when unset.
    pub fn from_variables(get: impl Fn(&str) -> String) -> Self {
        let gateway = |url: &str, token: &str| {
            let url = get(url).trim().to_owned();
            (!url.is_empty()).then(|| Gateway { url, token: get(token).trim().to_owned() })
        };
        Gateways {
            sms: gateway("sms_gateway_url", "sms_gateway_token"),
            zalo: gateway("zalo_zns_url", "zalo_access_token"),
            email: gateway("mail_api_url", "mail_api_token"),
            zalo_template_id: get("zalo_template_id").trim().to_owned(),
            mail_from: get("mail_from").trim().to_owned(),
        }
    }
}

/// One message to hand over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub dossier_code: &'a str,
    pub to: &'a Recipient,
    pub text: &'a str,
    pub link: &'a str,
    pub idempotency_key: &'a str,
}

/// An HTTP POST with a JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The call for a message, or why there is none (its channel is off).
pub fn call_for(gateways: &Gateways, m: &Message) -> Result<Call, Outcome> {
    let off = |variable: &str| Outcome::Refused { gateway_said: format!("the {} channel is off: {variable} is not set", m.to.channel.as_str()) };
    let base = |g: &Gateway, auth: (String, String), body: serde_json::Value| Call {
        url: g.url.clone(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            auth,
            ("idempotency-key".into(), m.idempotency_key.to_owned()),
        ],
        body: body.to_string().into_bytes(),
    };
    match m.to.channel {
        Channel::Sms => {
            let g = gateways.sms.as_ref().ok_or_else(|| off("sms_gateway_url"))?;
            Ok(base(g, bearer(&g.token), json!({"to": m.to.address, "text": m.text, "idempotency_key": m.idempotency_key})))
        }
        Channel::Zalo => {
            let g = gateways.zalo.as_ref().ok_or_else(|| off("zalo_zns_url"))?;
            // ZNS takes the number without "+".
            let phone = m.to.address.trim_start_matches('+');
            let body = json!({
                "phone": phone,
                "template_id": gateways.zalo_template_id,
                "template_data": {"code": m.dossier_code, "message": m.text, "link": m.link},
                "tracking_id": m.idempotency_key,
            });
            Ok(base(g, ("access_token".into(), g.token.clone()), body))
        }
        Channel::Email => {
            let g = gateways.email.as_ref().ok_or_else(|| off("mail_api_url"))?;
            let body = json!({
                "from": gateways.mail_from,
                "to": m.to.address,
                "subject": format!("Hồ sơ {}", m.dossier_code),
                "text": m.text,
                "idempotency_key": m.idempotency_key,
            });
            Ok(base(g, bearer(&g.token), body))
        }
        Channel::None => Err(Outcome::Refused { gateway_said: "the citizen asked for no messages".into() }),
    }
}

fn bearer(token: &str) -> (String, String) {
    ("authorization".into(), format!("Bearer {token}"))
}

/// What a gateway's answer means, with what it said (its body, shortened).
pub fn outcome_of(channel: Channel, status: u16, body: &[u8]) -> Outcome {
    let said = String::from_utf8_lossy(&body[..body.len().min(300)]).trim().to_owned();
    let with_status = |s: &str| if s.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {s}") };
    let retry = matches!(status, 408 | 425 | 429) || status >= 500;
    if channel == Channel::Zalo && (200..300).contains(&status) {
        // Zalo says in the body whether it took the message.
        let reply: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        return match reply["error"].as_i64() {
            Some(0) => Outcome::Sent { gateway_said: with_status(&said) },
            Some(code) => Outcome::Refused {
                gateway_said: format!("Zalo error {code}: {}", reply["message"].as_str().unwrap_or("no message")),
            },
            None => Outcome::TryAgain { gateway_said: with_status(&said) },
        };
    }
    match status {
        200..=299 => Outcome::Sent { gateway_said: with_status(&said) },
        _ if retry => Outcome::TryAgain { gateway_said: with_status(&said) },
        _ => Outcome::Refused { gateway_said: with_status(&said) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateways() -> Gateways {
        Gateways::from_variables(|name| {
            match name {
                "sms_gateway_url" => "http://127.0.0.1:8025/send",
                "sms_gateway_token" => "sms-token",
                "zalo_zns_url" => "https://business.openapi.zalo.me/message/template",
                "zalo_access_token" => "zalo-token",
                "zalo_template_id" => "123456",
                "mail_api_url" => " ",
                _ => "",
            }
            .to_owned()
        })
    }

    fn message(to: &Recipient) -> Message<'_> {
        Message { dossier_code: "000.00.12.H39-261126-0001", to, text: "Hồ sơ đã được tiếp nhận", link: "https://p.vn/track/X", idempotency_key: "motcua-abc" }
    }

    #[test]
    fn an_sms_is_posted_as_the_generic_gateway_takes_it() {
        let to = Recipient { channel: Channel::Sms, address: "+84912345678".into() };
        let call = call_for(&gateways(), &message(&to)).unwrap();
        assert_eq!(call.url, "http://127.0.0.1:8025/send");
        assert!(call.headers.contains(&("authorization".into(), "Bearer sms-token".into())));
        let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
        assert_eq!(body, json!({"to": "+84912345678", "text": "Hồ sơ đã được tiếp nhận", "idempotency_key": "motcua-abc"}));
    }

    #[test]
    fn zalo_gets_its_template_and_the_number_without_plus() {
        let to = Recipient { channel: Channel::Zalo, address: "+84912345678".into() };
        let call = call_for(&gateways(), &message(&to)).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
        assert_eq!(body["phone"], "84912345678");
        assert_eq!(body["template_id"], "123456");
        assert_eq!(body["tracking_id"], "motcua-abc");
        assert!(call.headers.contains(&("access_token".into(), "zalo-token".into())));
        assert_eq!(outcome_of(Channel::Zalo, 200, br#"{"error":0,"message":"Success","data":{"msg_id":"m1"}}"#).clone(),
            Outcome::Sent { gateway_said: r#"HTTP 200: {"error":0,"message":"Success","data":{"msg_id":"m1"}}"#.into() });
        assert_eq!(outcome_of(Channel::Zalo, 200, br#"{"error":-108,"message":"Phone number is invalid"}"#),
            Outcome::Refused { gateway_said: "Zalo error -108: Phone number is invalid".into() });
    }

    #[test]
    fn an_unset_gateway_turns_its_channel_off() {
        let to = Recipient { channel: Channel::Email, address: "lan@example.vn".into() };
        assert_eq!(call_for(&gateways(), &message(&to)), Err(Outcome::Refused { gateway_said: "the email channel is off: mail_api_url is not set".into() }));
    }

    #[test]
    fn answers_are_read_as_the_gateway_meant_them() {
        assert_eq!(outcome_of(Channel::Sms, 202, b"{\"id\":\"s1\"}"), Outcome::Sent { gateway_said: "HTTP 202: {\"id\":\"s1\"}".into() });
        assert_eq!(outcome_of(Channel::Sms, 503, b"down for maintenance"), Outcome::TryAgain { gateway_said: "HTTP 503: down for maintenance".into() });
        assert_eq!(outcome_of(Channel::Sms, 429, b""), Outcome::TryAgain { gateway_said: "HTTP 429".into() });
        assert_eq!(outcome_of(Channel::Sms, 400, b"invalid number"), Outcome::Refused { gateway_said: "HTTP 400: invalid number".into() });
        assert_eq!(outcome_of(Channel::Email, 401, b"bad token"), Outcome::Refused { gateway_said: "HTTP 401: bad token".into() });
        let long = vec![b'x'; 5000];
        let Outcome::Refused { gateway_said } = outcome_of(Channel::Sms, 400, &long) else { panic!() };
        assert!(gateway_said.len() < 320);
    }
}
