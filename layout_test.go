package coupang_test

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layoutMap is the README's map of the tree: the root package's files by
// layer, and every other package.
type layoutMap struct {
	layer    map[string]int // root file → layer number
	packages map[string]bool
}

var (
	layerHeading = regexp.MustCompile(`^#### ([0-9]+)\. `)
	mapEntry     = regexp.MustCompile("^- `([^`]+)` — ")
)

// readLayoutMap reads the "### Layout" part of README.md's Development
// section.
func readLayoutMap(t *testing.T) layoutMap {
	t.Helper()
	f, err := os.Open("README.md")
	require.NoError(t, err)
	defer f.Close()
	m := layoutMap{layer: map[string]int{}, packages: map[string]bool{}}
	in, layer := false, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "### Layout":
			in = true
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "## ") || (strings.HasPrefix(line, "### ") && line != "### Layout"):
			in = false
			continue
		}
		if h := layerHeading.FindStringSubmatch(line); h != nil {
			layer, _ = strconv.Atoi(h[1])
			continue
		}
		if strings.HasPrefix(line, "#### ") {
			layer = 0 // a heading without a number: packages
			continue
		}
		e := mapEntry.FindStringSubmatch(line)
		if e == nil {
			continue
		}
		name := e[1]
		if strings.HasSuffix(name, ".go") {
			require.NotZero(t, layer, "%s is listed outside a numbered layer", name)
			_, dup := m.layer[name]
			require.False(t, dup, "%s is listed twice", name)
			m.layer[name] = layer
			continue
		}
		name = strings.TrimSuffix(name, "/")
		require.False(t, m.packages[name], "%s is listed twice", name)
		m.packages[name] = true
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, m.layer, "README.md has no ### Layout map")
	return m
}

// rootFiles lists the root package's non-test files for this platform.
func rootFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var out []string
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		out = append(out, n)
	}
	return out
}

// packageDirs lists every directory of the repository that holds a Go
// package (tests aside), testdata excluded.
func packageDirs(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && path != ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if dir := filepath.Dir(path); dir != "." && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			out = append(out, filepath.ToSlash(dir))
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return compact(out)
}

func compact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// TestLayoutMatchesTree keeps the README's map honest: it lists every file
// of the root package and every package of the repository, and nothing else.
func TestLayoutMatchesTree(t *testing.T) {
	m := readLayoutMap(t)
	var listed []string
	for f := range m.layer {
		listed = append(listed, f)
	}
	sort.Strings(listed)
	assert.Equal(t, rootFiles(t), listed, "README.md's Layout map and the root package's files")
	var pkgs []string
	for p := range m.packages {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	assert.Equal(t, packageDirs(t), pkgs, "README.md's Layout map and the repository's packages")
}

// TestLayersPointDown checks the architecture the map draws: a file of the
// root package uses only what its own layer and the layers listed before it
// declare, never a later (higher) layer.
func TestLayersPointDown(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the package from source")
	}
	m := readLayoutMap(t)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range rootFiles(t) {
		if ok, err := build.Default.MatchFile(".", name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: exportImporter(t, fset, files)}
	pkg, err := conf.Check("github.com/go-coupang/coupang", fset, files, info)
	require.NoError(t, err)
	var bad []string
	seen := map[string]bool{}
	for id, obj := range info.Uses {
		if obj.Pkg() != pkg || !obj.Pos().IsValid() {
			continue
		}
		if v, ok := obj.(*types.Var); ok && !v.IsField() && obj.Parent() != pkg.Scope() {
			continue // a local variable
		}
		from := fset.Position(id.Pos()).Filename
		to := fset.Position(obj.Pos()).Filename
		lf, lt := m.layer[from], m.layer[to]
		if lt > lf {
			e := from + " (layer " + strconv.Itoa(lf) + ") uses " + obj.Name() + " of " + to + " (layer " + strconv.Itoa(lt) + ")"
			if !seen[e] {
				seen[e] = true
				bad = append(bad, e)
			}
		}
	}
	sort.Strings(bad)
	assert.Empty(t, bad, "references from a lower layer up to a higher one")
}

// exportImporter imports the packages that files import from the compiler's
// export data, which `go list -export` builds (or finds in the build cache).
// The "source" importer gave the same types but type-checked net/http and
// everything under it from source on every run: the slowest test of the
// package under -race.
func exportImporter(t *testing.T, fset *token.FileSet, files []*ast.File) types.Importer {
	t.Helper()
	imports := map[string]bool{}
	for _, f := range files {
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			require.NoError(t, err)
			imports[path] = true
		}
	}
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}"}
	for path := range imports {
		args = append(args, path)
	}
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	export := map[string]string{}
	for line := range strings.Lines(string(out)) {
		path, file, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && file != "" {
			export[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := export[path]
		if !ok {
			return nil, os.ErrNotExist
		}
		return os.Open(file)
	})
}
