import random, json
import sys
random.seed(int(sys.argv[1]))
fields = ['.name', '.n', '.f', '.empty', '.list', '.m', '.nested', '.t', '.missing', '.m.a', '.nested.inner', '.nested.inner.x', '.m.z', '$', '.']
lits = ['1', '0', '-2', '1.5', '0.0', '"a"', '""', '"b c"', 'true', 'false', "'x'", '1e6', '0x10', '`r`']
funcs1 = ['len', 'not', 'print', 'println', 'html', 'js', 'urlquery']
funcs2 = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'index', 'slice', 'printf', 'print']
fmts = ['"%v"', '"%d"', '"%s"', '"%q"', '"%5.2f"', '"%x"', '"%t"', '"%v %v"', '"%-4s|"', '"%03d"', '"%e"', '"%g"', '"%T"']
def operand(d=0):
    r = random.random()
    if r < 0.4: return random.choice(fields)
    if r < 0.7: return random.choice(lits)
    if d < 2: return '(' + pipeline(d+1) + ')'
    return random.choice(fields)
def command(d=0):
    r = random.random()
    if r < 0.3: return operand(d)
    if r < 0.5: return random.choice(funcs1) + ' ' + operand(d)
    if r < 0.65: return 'printf ' + random.choice(fmts) + ' ' + ' '.join(operand(d) for _ in range(random.randint(0, 2)))
    return random.choice(funcs2) + ' ' + ' '.join(operand(d) for _ in range(random.randint(1, 3)))
def pipeline(d=0):
    p = command(d)
    for _ in range(random.choice([0, 0, 1])):
        p += ' | ' + random.choice(['len', 'not', 'print', 'printf "%v"', 'html', 'urlquery', 'eq 1', 'index .m', 'js'])
    return p
def node(d=0):
    r = random.random()
    if r < 0.45 or d > 2: return '{{ ' + pipeline() + ' }}'
    if r < 0.55: return random.choice(['x', ' ', '\n', 'ab']) 
    if r < 0.65: return '{{ if ' + pipeline() + ' }}' + node(d+1) + ('{{ else }}' + node(d+1) if random.random() < 0.5 else '') + '{{ end }}'
    if r < 0.75: return '{{ with ' + pipeline() + ' }}' + node(d+1) + '{{ end }}'
    if r < 0.85: return '{{ range ' + random.choice(['$i, $e := ', '$e := ', '']) + random.choice(['.list', '.m', '.nested', '.missing', '.name', '.n']) + ' }}' + random.choice(['{{ . }}', '{{ $e }}', '{{ $i }}', node(d+1)]) + '{{ else }}E{{ end }}'
    if r < 0.9: return '{{- ' + pipeline() + ' -}}'
    if r < 0.94: return '{{ $v := ' + pipeline() + ' }}{{ $v }}'
    if r < 0.97: return '{{ define "d%d" }}' % d + node(d+1) + '{{ end }}{{ template "d%d" ' % d + operand() + ' }}'
    return '{{ range $i, $e := .list }}{{ if eq $i 1 }}{{ ' + random.choice(['break', 'continue']) + ' }}{{ end }}' + node(d+1) + '{{ end }}'
out = []
for _ in range(int(sys.argv[3])):
    out.append(''.join(node() for _ in range(random.randint(1, 3))))
open(sys.argv[2], 'w').write('\n'.join(t.replace('\n', '\\n') for t in out) + '\n')
