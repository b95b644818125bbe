package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The load generator shares the machine with the server it measures, so
// what it spends is taken from the server. net/http's client hands every
// request between three goroutines (the caller, the connection's writer
// and its reader), which costs a thread wake-up or two per request; on a
// 2-core machine that was about 0.13 ms of CPU per one-name request, half
// of what the server spent. rawClient writes each request and reads each
// answer itself, on one kept-alive HTTP/1.1 connection per worker: the same
// requests on the wire, every answer's status checked and its body read to
// the end (Content-Length, chunked or until the connection closes), any
// status other than 200 or any malformed answer counted as an error.
// -client std keeps net/http's client.

// requestTimeout bounds one request, as the net/http client's Timeout did.
const requestTimeout = 30 * time.Second

// poster sends one request and reads its whole answer.
type poster interface {
	post(ctx context.Context) (int, error)
	close()
}

// stdPoster is net/http's client.
type stdPoster struct {
	client *http.Client
	target string
	cfg    *config
}

func (p stdPoster) post(ctx context.Context) (int, error) {
	return post(ctx, p.client, p.target, *p.cfg)
}

func (p stdPoster) close() {}

// rawClient is one worker's connection.
type rawClient struct {
	addr  string // host:port to dial
	head  []byte // the request line and headers up to "Content-Length: "
	cfg   *config
	conn  net.Conn
	br    *bufio.Reader
	wbuf  []byte
	renew time.Time // when the connection's deadline is next moved on
}

func newRawClient(target *url.URL, path string, cfg *config) *rawClient {
	host := target.Host
	addr := host
	if target.Port() == "" {
		addr = net.JoinHostPort(target.Hostname(), "80")
	}
	p := target.JoinPath(path).EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	head := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tradeplan-loadgen\r\nContent-Type: %s\r\nContent-Length: ",
		p, host, cfg.contentType)
	return &rawClient{addr: addr, head: head, cfg: cfg, br: bufio.NewReaderSize(nil, 16<<10)}
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// errClosedIdle is a kept-alive connection that the server closed before
// answering: the request is sent again once on a new connection, as
// net/http's client does.
var errClosedIdle = errors.New("server closed the idle connection")

func (c *rawClient) post(ctx context.Context) (int, error) {
	body := c.cfg.body
	if c.cfg.bodies != nil {
		body = c.cfg.bodies[(c.cfg.next.Add(1)-1)%uint64(len(c.cfg.bodies))]
	}
	c.wbuf = append(c.wbuf[:0], c.head...)
	c.wbuf = strconv.AppendInt(c.wbuf, int64(len(body)), 10)
	c.wbuf = append(c.wbuf, "\r\n\r\n"...)
	c.wbuf = append(c.wbuf, body...)
	status, err := c.roundTrip(ctx)
	if errors.Is(err, errClosedIdle) {
		status, err = c.roundTrip(ctx)
	}
	return status, err
}

func (c *rawClient) roundTrip(ctx context.Context) (int, error) {
	reused := c.conn != nil
	if !reused {
		d := net.Dialer{Timeout: requestTimeout}
		conn, err := d.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return 0, err
		}
		c.conn = conn
		c.br.Reset(conn)
		c.renew = time.Time{}
	}
	// The deadline is moved on at most once a second, not per request:
	// every request still has at least requestTimeout minus a second.
	if now := time.Now(); now.After(c.renew) {
		c.conn.SetDeadline(now.Add(requestTimeout))
		c.renew = now.Add(time.Second)
	}
	if _, err := c.conn.Write(c.wbuf); err != nil {
		c.close()
		if reused {
			return 0, errClosedIdle
		}
		return 0, err
	}
	status, keep, err := c.readResponse(reused)
	if !keep {
		c.close()
	}
	return status, err
}

// readResponse reads one answer to its end. It reports the status, whether
// the connection may carry another request (never after a read error), and
// an error for a status
// other than 200 (with the start of the body, as the net/http path says)
// or an answer that is not HTTP/1.x.
func (c *rawClient) readResponse(reused bool) (status int, keep bool, err error) {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			// A kept-alive connection the server closed before reading the
			// request ends at once, or is reset when the request reached it.
			if reused && len(line) == 0 && (err == io.EOF || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET)) {
				return 0, false, errClosedIdle
			}
			return 0, false, fmt.Errorf("reading the status line: %w", err)
		}
		if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
			return 0, false, fmt.Errorf("malformed status line %q", bytes.TrimSpace(line))
		}
		status, err = strconv.Atoi(string(line[9:12]))
		if err != nil || status < 100 {
			return 0, false, fmt.Errorf("malformed status line %q", bytes.TrimSpace(line))
		}
		keep = line[7] == '1' // HTTP/1.1 keeps the connection unless told otherwise
		length, chunked, closing, err := c.readHeaders()
		if err != nil {
			return status, false, err
		}
		if closing {
			keep = false
		}
		if status >= 100 && status < 200 {
			continue // an interim answer; the real one follows
		}
		var start []byte
		if status != http.StatusOK {
			start = make([]byte, 0, 300)
		}
		switch {
		case chunked:
			start, err = c.readChunked(start)
		case length >= 0:
			start, err = c.readN(length, start)
		default: // the body runs to the end of the connection
			keep = false
			start, err = c.readToEOF(start)
		}
		if err != nil {
			return status, false, fmt.Errorf("reading the body: %w", err)
		}
		if status != http.StatusOK {
			return status, keep, fmt.Errorf("status %d: %s", status, bytes.TrimSpace(start))
		}
		return status, keep, nil
	}
}

func (c *rawClient) readHeaders() (length int64, chunked, closing bool, err error) {
	length = -1
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return 0, false, false, fmt.Errorf("reading the headers: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			return length, chunked, closing, nil
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, false, fmt.Errorf("malformed header line %q", line)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil || n < 0 {
				return 0, false, false, fmt.Errorf("malformed Content-Length %q", v)
			}
			length = n
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(v), []byte("chunked"))
		case bytes.EqualFold(k, []byte("Connection")):
			closing = bytes.Contains(bytes.ToLower(v), []byte("close"))
		}
	}
}

// readN reads and drops n bytes, keeping the first into start while it has
// room.
func (c *rawClient) readN(n int64, start []byte) ([]byte, error) {
	for n > 0 {
		if room := cap(start) - len(start); room > 0 {
			p, err := c.br.Peek(int(min(int64(room), n, int64(c.br.Size()))))
			if len(p) == 0 && err != nil {
				return start, unexpected(err)
			}
			start = append(start, p...)
		}
		k := int(min(n, int64(c.br.Size())))
		d, err := c.br.Discard(k)
		n -= int64(d)
		if err != nil {
			return start, unexpected(err)
		}
	}
	return start, nil
}

func (c *rawClient) readToEOF(start []byte) ([]byte, error) {
	for {
		var err error
		start, err = c.readN(int64(c.br.Size()), start)
		if err == io.ErrUnexpectedEOF {
			return start, nil
		}
		if err != nil {
			return start, err
		}
	}
}

func (c *rawClient) readChunked(start []byte) ([]byte, error) {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return start, unexpected(err)
		}
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			return start, fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			// Trailers, if any, then the blank line.
			for {
				l, err := c.br.ReadSlice('\n')
				if err != nil {
					return start, unexpected(err)
				}
				if len(bytes.TrimRight(l, "\r\n")) == 0 {
					return start, nil
				}
			}
		}
		if start, err = c.readN(n, start); err != nil {
			return start, err
		}
		if l, err := c.br.ReadSlice('\n'); err != nil || len(bytes.TrimRight(l, "\r\n")) != 0 {
			return start, fmt.Errorf("malformed chunk end")
		}
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
