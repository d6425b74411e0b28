package web

import (
	"net"
	"net/netip"
	"strings"

	"sufficiency/care"
)

// ParseTrustedProxies reads the reverse proxies in front of the server
// (Config.TrustedProxies): comma-separated addresses or CIDRs, an address
// as a single-address prefix. EINVALID naming the first that is neither.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "trusted proxy %q: give addresses or CIDRs such as 10.0.0.5 or 192.168.0.0/24", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// InsecureCookies says whether session cookies go without the Secure
// attribute (Config.InsecureCookies) for a cookie mode and the host the
// server listens on: secure, insecure (plain http), or auto (insecure on
// loopback only). EINVALID for another mode.
func InsecureCookies(mode, host string) (bool, error) {
	switch mode {
	case "secure":
		return false, nil
	case "insecure":
		return true, nil
	case "auto":
		ip := net.ParseIP(host)
		return host == "localhost" || (ip != nil && ip.IsLoopback()), nil
	}
	return false, care.Errorf(care.EINVALID, "cookie mode %q: use auto, secure or insecure", mode)
}
