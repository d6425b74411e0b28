package web

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"sufficiency/identity"
	"sufficiency/store"
)

// The scope picker lists England, every region and every council loaded
// (~165 options on all of England): rendering it was a fifth of a cached
// picture page's CPU. It depends only on the loaded councils (the data
// version), the user's role and, for an RCC user, the region whose member
// councils come first, and on which option is selected. So it is rendered
// once per (data version, role, region) with no option selected, the
// offset of each option's "selected" place kept, and each view writes it
// with " selected" inserted at the current page's option: the same bytes
// as a fresh render of the choices (scopepicker_test.go).

// scopeSelected is what the template writes in a selected option's tag.
const scopeSelected = " selected"

// scopePickerHTML is the picker rendered with no option selected: at[i]
// is where " selected" goes in html for the option of values[i].
type scopePickerHTML struct {
	html string
	at   map[string]int
}

// with is the picker with the option of value current selected (none when
// current is not an option).
func (p *scopePickerHTML) with(current string) template.HTML {
	i, ok := p.at[current]
	if !ok {
		return template.HTML(p.html) // rendered by html/template
	}
	return template.HTML(p.html[:i] + scopeSelected + p.html[i:])
}

// scopePickers caches the rendered pickers of one data version.
type scopePickers struct {
	mu      sync.Mutex
	version int64
	byKey   map[string]*scopePickerHTML
}

// scopePickerKey is what the picker's options depend on besides the data:
// the role, and for an RCC user the region (its member councils are
// grouped first, under the region's name).
func scopePickerKey(u identity.User) string {
	k := string(u.Role)
	if u.Role == identity.RoleRCC {
		k += "|" + u.Region
	}
	return k
}

// scopePicker returns the scope picker's options for user u with current
// selected, rendered; "" when it cannot be cached (no data version, no
// fragment renderer), and the page then renders Scopes itself.
func (h *pageHandlers) scopePicker(ctx context.Context, u identity.User, groups func() []scopeGroup, current string) template.HTML {
	vs, ok := h.data.st.(store.Versioned)
	if !ok || h.fragment == nil || h.pickers == nil {
		return ""
	}
	v, err := analysisVersion(ctx, vs)
	if err != nil {
		return ""
	}
	key := scopePickerKey(u)
	c := h.pickers
	c.mu.Lock()
	if c.byKey == nil || c.version != v {
		c.version, c.byKey = v, map[string]*scopePickerHTML{}
	}
	p := c.byKey[key]
	c.mu.Unlock()
	if p == nil {
		if p = h.renderScopePicker(groups()); p == nil {
			return ""
		}
		c.mu.Lock()
		if c.version == v {
			c.byKey[key] = p
		}
		c.mu.Unlock()
	}
	return p.with(current)
}

// renderScopePicker renders the options with every one selected, then
// takes the " selected" out of each, noting where it was.
func (h *pageHandlers) renderScopePicker(groups []scopeGroup) *scopePickerHTML {
	var values []string
	all := make([]scopeGroup, len(groups))
	for i, g := range groups {
		all[i] = scopeGroup{Label: g.Label, Options: make([]choice, len(g.Options))}
		for j, o := range g.Options {
			o.Selected = true
			all[i].Options[j] = o
			values = append(values, o.Value)
		}
	}
	out, err := h.fragment("picture", "scope-options", all)
	if err != nil {
		return nil
	}
	s := string(out)
	// " selected>" is written by the template only: in a name it would be
	// escaped (&gt;).
	mark := scopeSelected + ">"
	if strings.Count(s, mark) != len(values) {
		return nil
	}
	var b strings.Builder
	b.Grow(len(s))
	p := &scopePickerHTML{at: make(map[string]int, len(values))}
	for _, v := range values {
		i := strings.Index(s, mark)
		b.WriteString(s[:i])
		p.at[v] = b.Len()
		s = s[i+len(scopeSelected):]
	}
	b.WriteString(s)
	p.html = b.String()
	return p
}

// versionMemo keeps the data version read first in a request, so that the
// reads of a page (its scope, its picture's key, the scope picker, the
// match index) share one read of it (each a read transaction of its own
// otherwise). Only read-only requests keep one (withVersionMemo).
type versionMemo struct {
	mu sync.Mutex
	v  store.Versions
	ok bool
}

type versionMemoKey struct{}

// withVersionMemo gives a read-only request one data version read.
func withVersionMemo(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), versionMemoKey{}, &versionMemo{}))
}

// versions reads the store's data version (both parts), once per request
// when the request keeps a memo (errors are not kept).
func versions(ctx context.Context, vs store.Versioned) (store.Versions, error) {
	m, ok := ctx.Value(versionMemoKey{}).(*versionMemo)
	if !ok {
		return vs.Versions(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ok {
		return m.v, nil
	}
	v, err := vs.Versions(ctx)
	if err != nil {
		return store.Versions{}, err
	}
	m.v, m.ok = v, true
	return v, nil
}

// analysisVersion is the analyses' part of the data version (see versions):
// what cached pictures, reviews, markets and scopes follow. A vacancy's
// change does not raise it.
func analysisVersion(ctx context.Context, vs store.Versioned) (int64, error) {
	v, err := versions(ctx, vs)
	return v.Analysis, err
}
