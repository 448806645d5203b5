export { SoapClient, type SoapClientOptions, type SoapReply } from './soap.js';
