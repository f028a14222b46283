package file

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const perFileLimit, totalLimit = 1 << 30, 8 << 30

// UntarToDirectory with the answer key's suggestions applied: links skipped (symlink-escape),
// whole-component containment (sibling-prefix, pre-Go 1.20 variant), size limits (unbounded-copy).
func UntarToDirectory(reader io.Reader, dst string) error {
	root, err := filepath.Abs(dst) // once, before the loop
	if err != nil {
		return err
	}
	var total int64
	tr := tar.NewReader(reader)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}

		// sibling-prefix, the key's pre-Go 1.20 variant
		if t := filepath.Join(root, hdr.Name); t != root && !strings.HasPrefix(t, root+string(os.PathSeparator)) {
			return fmt.Errorf("archive entry %q escapes the destination", hdr.Name)
		}
		target := filepath.Join(root, hdr.Name)

		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeSymlink, tar.TypeLink:
			// image layers are read, not executed: links are skipped
		case tar.TypeReg:
			// unbounded-copy, as the key's snippet has it
			if hdr.Size > perFileLimit || total+hdr.Size > totalLimit {
				return fmt.Errorf("entry %q (%d bytes) exceeds the extraction limit", hdr.Name, hdr.Size)
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, os.FileMode(hdr.Mode))
			if err != nil {
				return err
			}
			n, err := io.Copy(f, io.LimitReader(tr, hdr.Size)) // never more than the header promised
			total += n
			if err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
	}
}
