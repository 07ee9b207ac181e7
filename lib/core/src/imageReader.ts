/** Builds entity images from the journal: a full load from the latest snapshot, or a catch-up. */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { applyCommits, type EntityImage, emptyImage, isUsableSnapshot } from './image.ts';
import type { Journal } from './ports.ts';

export class ImageReader<S, C extends DomainCommand, E extends DomainEvent> {
  constructor(
    readonly entity: Entity<S, C, E>,
    readonly journal: Journal,
  ) {}

  async load(streamId: string, consistent: boolean): Promise<EntityImage<S>> {
    const { commits } = await this.journal.loadLatest(
      streamId,
      (snapshot) => isUsableSnapshot(this.entity, snapshot),
      { consistent, pageSize: this.pageSize() },
    );
    return applyCommits(this.entity, emptyImage(this.entity), commits);
  }

  /** Reads only the commits after the image's version; a long gap falls back to a load. */
  async catchUp(
    streamId: string,
    image: EntityImage<S>,
    consistent: boolean,
  ): Promise<EntityImage<S>> {
    const limit = this.pageSize();
    const commits = await this.journal.readAfter(streamId, image.version, { consistent, limit });
    if (commits.length >= limit) return this.load(streamId, consistent);
    return commits.length === 0 ? image : applyCommits(this.entity, image, commits);
  }

  pageSize(): number {
    return Math.min(Math.max(this.entity.snapshotEvery, 10), 1000) + 1;
  }
}
