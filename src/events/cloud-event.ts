// The CloudEvent as intake stores it and rules read it: the structured-mode JSON envelope, `data` included.
export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  data?: unknown;
  [extension: string]: unknown;
}
