//! The bridge from a card application to pcscd through the vsmartcard `vpcd` driver. vpcd
//! listens (127.0.0.1:35963 for reader "Virtual PCD 00 00", 35964 for "... 00 01"); the virtual
//! card connects to it. Every message is framed by a 2-byte big-endian length. A 1-byte message
//! is a control code (00 power off, 01 power on, 02 reset, 04 get ATR — answered with the ATR);
//! anything longer is a command APDU, answered with the response APDU. Connecting is inserting
//! the card; closing the connection is pulling it out.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use asxh_core::card::CardApplication;

use crate::error::CardError;

/// Default vpcd port (reader "Virtual PCD 00 00").
pub const DEFAULT_PORT: u16 = 35963;

const CTRL_POWER_OFF: u8 = 0x00;
const CTRL_POWER_ON: u8 = 0x01;
const CTRL_RESET: u8 = 0x02;
const CTRL_GET_ATR: u8 = 0x04;

/// Connects to vpcd at `addr`, retrying until `wait` has passed (vpcd may still be starting).
pub fn connect(addr: &str, wait: Duration) -> Result<TcpStream, CardError> {
    let deadline = Instant::now() + wait;
    loop {
        match TcpStream::connect(addr) {
            Ok(s) => {
                s.set_nodelay(true).ok();
                return Ok(s);
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(CardError::Vpcd {
                    addr: addr.into(),
                    source: e,
                })
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Reads one frame; `None` when the connection ended, including in the middle of a frame (the
/// card was pulled while a command was arriving: that command never reached the card).
fn read_frame(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 2];
    match stream.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    match stream.read_exact(&mut buf) {
        Ok(()) => Ok(Some(buf)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

fn write_frame(stream: &mut TcpStream, payload: &[u8]) -> Result<(), CardError> {
    let len = u16::try_from(payload.len()).map_err(|_| {
        CardError::VpcdProtocol(format!(
            "response of {} bytes does not fit a frame",
            payload.len()
        ))
    })?;
    let mut frame = len.to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    stream.write_all(&frame).map_err(|e| CardError::Vpcd {
        addr: peer(stream),
        source: e,
    })
}

fn peer(stream: &TcpStream) -> String {
    stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| "vpcd".into())
}

/// Serves `app` over an established vpcd connection until vpcd or `stop` closes it.
/// Returns the number of APDUs processed.
pub fn serve<A: CardApplication>(app: &mut A, mut stream: TcpStream) -> Result<u64, CardError> {
    let mut apdus = 0;
    loop {
        let frame = match read_frame(&mut stream) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(apdus),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::NotConnected
                ) =>
            {
                return Ok(apdus)
            }
            Err(e) => {
                return Err(CardError::Vpcd {
                    addr: peer(&stream),
                    source: e,
                })
            }
        };
        match frame.as_slice() {
            [] => return Err(CardError::VpcdProtocol("empty frame".into())),
            [CTRL_POWER_OFF] | [CTRL_POWER_ON] | [CTRL_RESET] => {
                tracing::debug!(control = frame[0], "power control");
                app.power_cycle();
            }
            [CTRL_GET_ATR] => write_frame(&mut stream, &app.atr())?,
            [other] => {
                return Err(CardError::VpcdProtocol(format!(
                    "unknown control code {other:02X}"
                )));
            }
            apdu => {
                apdus += 1;
                let response = app.process_apdu(apdu);
                // INS and SW only: command data may hold a PIN or administrative code.
                tracing::debug!(
                    ins = format!("{:02X}", apdu.get(1).copied().unwrap_or(0)),
                    sw = hex::encode_upper(&response[response.len().saturating_sub(2)..]),
                    "apdu"
                );
                write_frame(&mut stream, &response)?;
            }
        }
    }
}

/// A card application "inserted" in a vpcd reader, served on a background thread until
/// [`InsertedCard::remove`] pulls it out.
pub struct InsertedCard<A: CardApplication + Send + 'static> {
    stream: TcpStream,
    thread: JoinHandle<(A, Result<u64, CardError>)>,
}

impl<A: CardApplication + Send + 'static> InsertedCard<A> {
    /// Connects to vpcd at `addr` and serves `app` in the background.
    pub fn insert(mut app: A, addr: &str) -> Result<Self, CardError> {
        let stream = connect(addr, Duration::from_secs(10))?;
        let for_thread = stream.try_clone().map_err(|e| CardError::Vpcd {
            addr: addr.into(),
            source: e,
        })?;
        let thread = std::thread::spawn(move || {
            let result = serve(&mut app, for_thread);
            (app, result)
        });
        Ok(InsertedCard { stream, thread })
    }

    /// Pulls the card out (closes the connection) and gives the application back.
    pub fn remove(self) -> (A, Result<u64, CardError>) {
        let _ = self.stream.shutdown(Shutdown::Both);
        match self.thread.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}
