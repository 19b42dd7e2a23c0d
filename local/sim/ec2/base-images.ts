/**
 * The public images the simulated region offers, each named by the SSM public parameter that
 * resolves to it, as Canonical, Debian and Amazon publish them.
 */
import { MINUTE } from '../kernel/clock';
import type { Architecture } from './instance-types';
import type { Ec2World } from './model';

export interface BaseImage {
  /** The SSM public parameter that resolves to this image. */
  parameter: string;
  imageId: string;
  name: string;
  architecture: Architecture;
  ownerId: string;
  ownerAlias?: string;
  rootDeviceName: string;
}

const CANONICAL = '099720109477';
const DEBIAN = '136693071363';
const AMAZON = '137112412989';

export const BASE_IMAGES: readonly BaseImage[] = [
  {
    parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    imageId: 'ami-0a7d80731ae1b2435',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261015',
    architecture: 'x86_64',
    ownerId: CANONICAL,
    rootDeviceName: '/dev/sda1',
  },
  {
    parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
    imageId: 'ami-0c4e709339fa8521a',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261015',
    architecture: 'arm64',
    ownerId: CANONICAL,
    rootDeviceName: '/dev/sda1',
  },
  {
    parameter: '/aws/service/debian/release/12/latest/amd64',
    imageId: 'ami-064519b8c76274859',
    name: 'debian-12-amd64-20261010-2262',
    architecture: 'x86_64',
    ownerId: DEBIAN,
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/debian/release/12/latest/arm64',
    imageId: 'ami-0789039e34e739d67',
    name: 'debian-12-arm64-20261010-2262',
    architecture: 'arm64',
    ownerId: DEBIAN,
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    imageId: 'ami-0453ec754f44f9a4a',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-x86_64',
    architecture: 'x86_64',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    imageId: 'ami-0b8c2d5e8e4a5f7a9',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-arm64',
    architecture: 'arm64',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
  },
];

export function addBaseImages(world: Ec2World): void {
  const published = world.now() - 30 * 24 * 60 * MINUTE;
  for (const base of BASE_IMAGES) {
    world.images.set(base.imageId, {
      imageId: base.imageId,
      name: base.name,
      ownerId: base.ownerId,
      ownerAlias: base.ownerAlias,
      architecture: base.architecture,
      rootDeviceName: base.rootDeviceName,
      createdAt: published,
      readyAt: published,
      outcome: 'available',
      tags: new Map(),
      devices: [
        {
          deviceName: base.rootDeviceName,
          snapshotId: world.newId('snap'),
          sizeGb: 8,
          encrypted: false,
        },
      ],
      isPublic: true,
      booted: true,
    });
  }
}
