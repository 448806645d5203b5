// Content library transfers as govc does them, shared by the library programs.
package simtest

import (
	"bytes"
	"context"
	"fmt"
	"io/ioutil"
	"net/url"
	"time"

	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vim25/soap"
)

// Upload sends one file through an update session, as govc library.import does.
func Upload(ctx context.Context, m *library.Manager, itemID, name string, data []byte) error {
	sessionID, err := m.CreateLibraryItemUpdateSession(ctx, library.Session{LibraryItemID: itemID})
	if err != nil {
		return fmt.Errorf("CreateLibraryItemUpdateSession: %w", err)
	}
	info, err := m.AddLibraryItemFile(ctx, sessionID, library.UpdateFile{Name: name, SourceType: "PUSH", Size: int64(len(data))})
	if err != nil {
		return fmt.Errorf("AddLibraryItemFile: %w", err)
	}
	u, err := url.Parse(info.UploadEndpoint.URI)
	if err != nil {
		return err
	}
	p := soap.DefaultUpload
	p.ContentLength = int64(len(data))
	if err := m.Client.Upload(ctx, bytes.NewReader(data), u, &p); err != nil {
		return fmt.Errorf("Upload: %w", err)
	}
	if err := m.CompleteLibraryItemUpdateSession(ctx, sessionID); err != nil {
		return fmt.Errorf("CompleteLibraryItemUpdateSession: %w", err)
	}
	if err := m.WaitOnLibraryItemUpdateSession(ctx, sessionID, 100*time.Millisecond, nil); err != nil {
		return fmt.Errorf("WaitOnLibraryItemUpdateSession: %w", err)
	}
	return m.DeleteLibraryItemUpdateSession(ctx, sessionID)
}

// Download reads one file back through a download session, as govc library.export does.
func Download(ctx context.Context, m *library.Manager, itemID, name string) (string, error) {
	sessionID, err := m.CreateLibraryItemDownloadSession(ctx, library.Session{LibraryItemID: itemID})
	if err != nil {
		return "", fmt.Errorf("CreateLibraryItemDownloadSession: %w", err)
	}
	if _, err := m.PrepareLibraryItemDownloadSessionFile(ctx, sessionID, name); err != nil {
		return "", fmt.Errorf("PrepareLibraryItemDownloadSessionFile: %w", err)
	}
	var info *library.DownloadFile
	for info == nil || info.Status != "PREPARED" {
		if info, err = m.GetLibraryItemDownloadSessionFile(ctx, sessionID, name); err != nil {
			return "", fmt.Errorf("GetLibraryItemDownloadSessionFile: %w", err)
		}
		if info.Status != "PREPARED" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	u, err := url.Parse(info.DownloadEndpoint.URI)
	if err != nil {
		return "", err
	}
	body, _, err := m.Client.Download(ctx, u, &soap.DefaultDownload)
	if err != nil {
		return "", fmt.Errorf("Download: %w", err)
	}
	defer body.Close()
	data, err := ioutil.ReadAll(body)
	if err != nil {
		return "", err
	}
	return string(data), m.DeleteLibraryItemDownloadSession(ctx, sessionID)
}
