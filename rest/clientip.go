package rest

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
)

// clientIP records each request's client address (read with clientAddr), which the login
// throttle counts failures by, so it must not be whatever the client claims. chi's RealIP,
// used before, believed X-Forwarded-For, X-Real-IP and True-Client-IP from anyone: a guesser
// could name a new address on every attempt and never be throttled, or name someone else's to
// throttle them. Now the TCP peer is the client unless it is one of the configured trusted
// proxies (TRUSTED_PROXIES); only then is X-Forwarded-For read, right to left, skipping trusted
// hops (what nginx's set_real_ip_from and Express's "trust proxy" do). Medusa's Express app
// trusts no proxy either, so its req.ip is the peer too.
func clientIP(trusted []netip.Prefix) func(http.Handler) http.Handler {
	if len(trusted) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	cidrs := make([]string, len(trusted))
	for i, p := range trusted {
		cidrs[i] = p.String()
	}
	return middleware.ClientIPFromXFF(cidrs...)
}

// clientAddr returns the client address clientIP recorded; when there is none (a trusted proxy
// that sent no X-Forwarded-For, or garbage in it), the TCP peer, so such requests share the
// proxy's count rather than escape it.
func clientAddr(r *http.Request) netip.Addr {
	if a := middleware.GetClientIPAddr(r.Context()); a.IsValid() {
		return a
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// ParseTrustedProxies parses TRUSTED_PROXIES: addresses or CIDR prefixes (a bare address means
// that one address).
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", s, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
