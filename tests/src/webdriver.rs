//! A minimal W3C WebDriver client over plain HTTP (blocking), enough to drive the app as a user:
//! find, click, type, read, run a script, size and close the window.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug)]
pub struct Session {
    base: String,
    id: String,
    agent: ureq::Agent,
}

#[derive(Debug, Clone)]
pub struct Element {
    id: String,
}

pub type Result<T> = std::result::Result<T, String>;

fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let request = agent.request(method, url);
    let response = match body {
        Some(b) => request.send_json(b),
        None => request.call(),
    };
    let value: Value = match response {
        Ok(r) => r.into_json().map_err(|e| format!("{method} {url}: {e}"))?,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(format!("{method} {url}: HTTP {code}: {text}"));
        }
        Err(e) => return Err(format!("{method} {url}: {e}")),
    };
    Ok(value.get("value").cloned().unwrap_or(Value::Null))
}

impl Session {
    /// Starts a session, which launches `application`.
    pub fn start(port: u16, application: &str) -> Result<Session> {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": application}}}});
        let value = call(&agent, "POST", &format!("{base}/session"), Some(caps))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {value}"))?
            .to_string();
        Ok(Session { base, id, agent })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.id)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        call(&self.agent, "POST", &self.url(path), Some(body))
    }

    fn get(&self, path: &str) -> Result<Value> {
        call(&self.agent, "GET", &self.url(path), None)
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.post("/elements", json!({"using": "css selector", "value": css}))?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| Element { id: id.to_string() })
                    .collect()
            })
            .unwrap_or_default())
    }

    pub fn find(&self, css: &str) -> Result<Element> {
        self.find_all(css)?
            .into_iter()
            .next()
            .ok_or_else(|| format!("no element matches {css}"))
    }

    pub fn click(&self, e: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", e.id), json!({}))
            .map(|_| ())
    }

    pub fn type_text(&self, e: &Element, text: &str) -> Result<()> {
        self.post(&format!("/element/{}/value", e.id), json!({"text": text}))
            .map(|_| ())
    }

    pub fn clear(&self, e: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", e.id), json!({}))
            .map(|_| ())
    }

    pub fn text(&self, e: &Element) -> Result<String> {
        Ok(self
            .get(&format!("/element/{}/text", e.id))?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Result<Option<String>> {
        Ok(self
            .get(&format!("/element/{}/attribute/{name}", e.id))?
            .as_str()
            .map(str::to_string))
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    /// Text of the first element matching `css` (empty when none).
    pub fn text_of(&self, css: &str) -> Result<String> {
        match self.find_all(css)?.into_iter().next() {
            Some(e) => self.text(&e),
            None => Ok(String::new()),
        }
    }

    /// Waits until `check` returns Some, polling every 50 ms, for at most `timeout`.
    pub fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&Session) -> Result<Option<T>>,
    ) -> Result<T> {
        let start = Instant::now();
        let mut last_error = String::new();
        loop {
            match check(self) {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => last_error = e,
            }
            if start.elapsed() > timeout {
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what} {last_error}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses and releases `key` (a WebDriver key code such as `\u{E004}` for Tab, or a
    /// character) on whatever has the focus, as a person at the keyboard does, with the
    /// `modifiers` held (key codes too: `\u{E008}` Shift, `\u{E009}` Control).
    pub fn press(&self, modifiers: &[&str], key: &str) -> Result<()> {
        let mut actions = Vec::new();
        for m in modifiers {
            actions.push(json!({"type": "keyDown", "value": m}));
        }
        actions.push(json!({"type": "keyDown", "value": key}));
        actions.push(json!({"type": "keyUp", "value": key}));
        for m in modifiers.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": m}));
        }
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )?;
        call(&self.agent, "DELETE", &self.url("/actions"), None).map(|_| ())
    }

    /// Sets the window's outer size in CSS pixels (its position unchanged).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.post("/window/rect", json!({"width": width, "height": height}))
            .map(|_| ())
    }

    /// Moves the window's top left corner to `x`, `y` on the screen.
    pub fn set_window_position(&self, x: i32, y: i32) -> Result<()> {
        self.post("/window/rect", json!({"x": x, "y": y}))
            .map(|_| ())
    }

    /// The window's position and outer size: `(x, y, width, height)`.
    pub fn window_rect(&self) -> Result<(i64, i64, i64, i64)> {
        let v = self.get("/window/rect")?;
        let n = |k: &str| {
            v[k].as_f64()
                .map(|f| f.round() as i64)
                .ok_or_else(|| format!("no {k} in the window rect {v}"))
        };
        Ok((n("x")?, n("y")?, n("width")?, n("height")?))
    }

    /// Closes the window as its close button would: the app ends as a user ends it.
    pub fn close_window(&self) -> Result<()> {
        call(&self.agent, "DELETE", &self.url("/window"), None).map(|_| ())
    }

    pub fn end(self) {
        let _ = call(&self.agent, "DELETE", &self.url(""), None);
    }
}
