package file

import (
	"path/filepath"
	"strings"
)

// isLocal stands in for filepath.IsLocal (Go 1.20) on older toolchains, with the same rules on
// Unix: not empty, not absolute, and not `..` or under `../` once cleaned.
func isLocal(path string) bool {
	if path == "" || filepath.IsAbs(path) {
		return false
	}
	path = filepath.Clean(path)
	return path != ".." && !strings.HasPrefix(path, "../")
}
