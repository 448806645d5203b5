/**
 * What vSphere Lifecycle Manager's depot offers the simulator's clusters: ESXi base images and
 * components, as vCenter's `esx/settings/depot-content` lists them. Fixed content: the simulator
 * has no online depot to sync from.
 */
export interface BaseImage {
  version: string;
  display_name: string;
  display_version: string;
  release_date: string;
}

export interface ComponentVersion {
  version: string;
  display_version: string;
  vendor: string;
  summary: string;
}

export interface Component {
  name: string;
  display_name: string;
  versions: ComponentVersion[];
}

export const BASE_IMAGES: readonly BaseImage[] = [
  { version: '7.0.3-0.50.20036589', display_name: 'ESXi', display_version: '7.0 U3f', release_date: '2022-07-12T00:00:00.000Z' },
  { version: '8.0.0-1.0.20513097', display_name: 'ESXi', display_version: '8.0 GA', release_date: '2022-10-11T00:00:00.000Z' },
];

export const COMPONENTS: readonly Component[] = [
  {
    name: 'Intel-i40en',
    display_name: 'Network driver for Intel(R) X710/XL710/XXV710/X722 Adapters',
    versions: [
      { version: '2.1.5.0-1OEM.700.1.0.15843807', display_version: '2.1.5.0', vendor: 'Intel', summary: 'i40en driver' },
      { version: '2.3.4.0-1OEM.700.1.0.15843807', display_version: '2.3.4.0', vendor: 'Intel', summary: 'i40en driver' },
    ],
  },
  {
    name: 'Broadcom-ELX-lpfc',
    display_name: 'Emulex FC driver',
    versions: [{ version: '14.0.326.12-1OEM.700.1.0.15843807', display_version: '14.0.326.12', vendor: 'Broadcom', summary: 'lpfc driver' }],
  },
];

/** The base image a cluster starts with: the first one the depot has. */
export const DEFAULT_BASE_IMAGE = BASE_IMAGES[0]!.version;

export const baseImage = (version: string) => BASE_IMAGES.find((image) => image.version === version);
export const componentVersion = (name: string, version: string) => COMPONENTS.find((c) => c.name === name)?.versions.find((v) => v.version === version);
