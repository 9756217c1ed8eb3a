package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

func main() {
	data := map[string]interface{}{
		"name": "world", "n": 3, "f": 1.5, "empty": "",
		"list":   []interface{}{"a", "b", "c"},
		"m":      map[string]string{"z": "26", "a": "1", "m": "13"},
		"nested": map[string]interface{}{"inner": map[string]interface{}{"x": "deep"}},
		"t":      true,
	}
	b, _ := os.ReadFile(os.Args[1])
	var out [][2]string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		text := strings.ReplaceAll(l, `\n`, "\n")
		out = append(out, [2]string{text, run(text, data)})
	}
	j, _ := json.MarshalIndent(out, "", " ")
	fmt.Println(string(j))
}

func run(text string, data interface{}) (res string) {
	defer func() {
		if r := recover(); r != nil { res = fmt.Sprintf("PANIC %v", r) }
	}()
	t, err := template.New("t").Parse(text)
	if err != nil { return "ERR " + err.Error() }
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil { return "ERR " + err.Error() }
	return buf.String()
}
