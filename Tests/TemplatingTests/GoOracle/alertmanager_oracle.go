package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"time"
)

type Pair struct{ Name, Value string }
type Pairs []Pair

func (ps Pairs) Names() []string { ns := []string{}; for _, p := range ps { ns = append(ns, p.Name) }; return ns }
func (ps Pairs) Values() []string { vs := []string{}; for _, p := range ps { vs = append(vs, p.Value) }; return vs }
func (ps Pairs) String() string {
	b := strings.Builder{}
	for i, p := range ps {
		b.WriteString(p.Name); b.WriteRune('='); b.WriteString(p.Value)
		if i < len(ps)-1 { b.WriteString(", ") }
	}
	return b.String()
}

type KV map[string]string

func (kv KV) SortedPairs() Pairs {
	var pairs = make([]Pair, 0, len(kv)); keys := make([]string, 0, len(kv)); sortStart := 0
	for k := range kv {
		if k == "alertname" { keys = append([]string{k}, keys...); sortStart = 1 } else { keys = append(keys, k) }
	}
	sort.Strings(keys[sortStart:])
	for _, k := range keys { pairs = append(pairs, Pair{k, kv[k]}) }
	return pairs
}
func (kv KV) Remove(keys []string) KV {
	ks := map[string]bool{}; for _, k := range keys { ks[k] = true }
	res := KV{}; for k, v := range kv { if !ks[k] { res[k] = v } }; return res
}
func (kv KV) Names() []string  { return kv.SortedPairs().Names() }
func (kv KV) Values() []string { return kv.SortedPairs().Values() }
func (kv KV) String() string   { return kv.SortedPairs().String() }

type Data struct {
	Receiver, Status string
	Alerts           Alerts
	GroupLabels, CommonLabels, CommonAnnotations KV
	ExternalURL string
}
type Alert struct {
	Status                string
	Labels, Annotations   KV
	StartsAt, EndsAt      time.Time
	GeneratorURL, Fingerprint string
}
type Alerts []Alert

func (as Alerts) Firing() []Alert { r := []Alert{}; for _, a := range as { if a.Status == "firing" { r = append(r, a) } }; return r }
func (as Alerts) Resolved() []Alert { r := []Alert{}; for _, a := range as { if a.Status == "resolved" { r = append(r, a) } }; return r }

var now = time.Unix(1700003723, 500000000)

var funcs = template.FuncMap{
	"toUpper": strings.ToUpper, "toLower": strings.ToLower,
	"title":     strings.Title,
	"trimSpace": strings.TrimSpace,
	"join":      func(sep string, s []string) string { return strings.Join(s, sep) },
	"match":     regexp.MatchString,
	"safeHtml":  func(s string) string { return s },
	"reReplaceAll": func(p, r, t string) string { return regexp.MustCompile(p).ReplaceAllString(t, r) },
	"stringSlice":  func(s ...string) []string { return s },
	"date":         func(f string, t time.Time) string { return t.Format(f) },
	"tz": func(n string, t time.Time) (time.Time, error) { l, err := time.LoadLocation(n); if err != nil { return time.Time{}, err }; return t.In(l), nil },
	"since":        func(t time.Time) time.Duration { return now.Sub(t) },
	"urlUnescape":  url.QueryUnescape,
	"humanizeDuration": func(d time.Duration) string { return fmt.Sprintf("H(%v)", d.Seconds()) },
}

func main() {
	t := template.New("").Option("missingkey=zero").Funcs(funcs)
	for _, f := range []string{"default.tmpl", "email.tmpl"} {
		b, _ := os.ReadFile("/work/shared/conformance/alertmanager/templates/" + f)
		var err error
		if t, err = t.Parse(string(b)); err != nil { panic(err) }
	}
	st := time.Unix(1700000000, 0).UTC()
	d := Data{Receiver: regexp.QuoteMeta("team-X.pager"), Status: "firing", ExternalURL: "http://am:9093",
		GroupLabels: KV{"alertname": "HighLatency", "job": "api"},
		CommonLabels: KV{"alertname": "HighLatency", "job": "api", "severity": "critical"},
		CommonAnnotations: KV{"summary": "High latency"},
		Alerts: Alerts{
			{Status: "firing", Labels: KV{"alertname": "HighLatency", "severity": "critical", "instance": "a:9100", "job": "api"}, Annotations: KV{"summary": "High latency", "runbook_url": "http://rb/1"}, StartsAt: st, GeneratorURL: "http://prom/graph?g0.expr=x", Fingerprint: "a1"},
			{Status: "firing", Labels: KV{"alertname": "HighLatency", "severity": "critical", "instance": "b:9100", "job": "api"}, Annotations: KV{"summary": "High latency"}, StartsAt: st, GeneratorURL: "http://prom/2", Fingerprint: "b2"},
			{Status: "resolved", Labels: KV{"alertname": "HighLatency", "severity": "critical", "instance": "c:9100", "job": "api"}, Annotations: KV{"summary": "High latency"}, StartsAt: st, EndsAt: time.Unix(1700000600, 0).UTC(), Fingerprint: "c3"},
		}}
	texts := []string{}
	b, _ := os.ReadFile(os.Args[1])
	for _, l := range strings.Split(string(b), "\n") { if l != "" { texts = append(texts, strings.ReplaceAll(l, `\n`, "\n")) } }
	for _, text := range texts {
		c, _ := t.Clone()
		c, err := c.New("").Option("missingkey=zero").Parse(text)
		if err != nil { fmt.Printf("%q => PARSE %v\n", text, err); continue }
		var buf bytes.Buffer
		err = c.Execute(&buf, d)
		fmt.Printf("%q =>\n%q %v\n", text, buf.String(), err)
	}
}


