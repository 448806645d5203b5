package simtest

import (
	"reflect"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
)

// FaultName is the vSphere fault type err carries ("NotFound"), whether a call's SOAP fault or a
// task's error; "" for no error, "error: <text>" for one that is no vSphere fault.
func FaultName(err error) string {
	if err == nil {
		return ""
	}
	var fault interface{}
	switch e := err.(type) {
	case task.Error:
		fault = e.Fault()
	default:
		if soap.IsSoapFault(err) {
			fault = soap.ToSoapFault(err).VimFault()
		} else if soap.IsVimFault(err) {
			fault = soap.ToVimFault(err)
		} else {
			return "error: " + err.Error()
		}
	}
	if fault == nil {
		return "SoapFaultWithoutDetail"
	}
	t := reflect.TypeOf(fault)
	for t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t.Name()
}
