/**
 * The bundled vSphere client: `import { connect, VimError } from 'vcenter-sim/client'`.
 * SOAP (vim25) with typed calls and helpers, REST (`/api`, `/rest`), one error type.
 */
export { connect, VimClient, type ConnectOptions, type CallOptions, type ManagedObjectProxy, type ManagedTypeName, type MethodName, type MethodParams, type MethodResult, type TaskResult } from './client.js';
export { filterSpec, type CollectorPool, type FindOptions, type PagedCallOptions, type Retrieved, type PathValue, type WatchOptions } from './property.js';
export { taskError, type WaitForTaskOptions } from './tasks.js';
export { VimError, errorCodes, faultCodes, notFoundCodes, vapiErrorCodes, httpStatusCodes, codeOfFault, codeOfVapiError, type ErrorCode, type ErrorFamily, type ErrorCodeInfo } from './errors.js';
export type { Logger, ClientEvent, ObserveOptions } from './observe.js';
export { CircuitBreaker, type RetryOptions, type BreakerOptions, type BreakerState } from './retry.js';
export type { TlsOptions } from './transport.js';
export type { LoginOptions } from './session.js';
export { SoapClient, type SoapClientOptions, type SoapReply } from './soap.js';
/** The generated vSphere types, as a namespace (`vim.VirtualMachineConfigSpec`): REST types share some names. */
export type * as vim from './vim25.js';
export type { MoRef, RefOf, ManagedTypes, DataTypes, EnumTypes, FaultTypeName } from './vim25.js';
export {
  RestClient, type RestOperation,
  type RestFlavour, type VmSummary, type VmInfo, type VmHardwareInfo, type VmPowerState, type VmFilter, type HostSummary, type ClusterSummary,
  type DatacenterSummary, type DatastoreSummary, type NetworkSummary, type FolderSummary, type ResourcePoolSummary, type TagCategory,
  type TagCategoryCreate, type Tag, type TagCreate, type DynamicId, type Library, type LibraryCreate, type LibraryItem, type CisTaskInfo,
} from './rest.js';
