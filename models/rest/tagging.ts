/**
 * vCenter tagging (the cis tagging service): categories, tags and their associations with
 * inventory objects. Part of the simulated world, so it lives beside the registry; the REST
 * adapter (simulator/rest/tagging/) maps its errors to vAPI errors.
 *
 * Identifiers are vCenter's URNs with a UUID drawn from the instance's seed and a counter, so the
 * same seed and the same calls give the same ids.
 */
import { createHash } from 'node:crypto';
import { MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';

export type Cardinality = 'SINGLE' | 'MULTIPLE';

export interface Category {
  id: string;
  name: string;
  description: string;
  cardinality: Cardinality;
  associable_types: string[];
  used_by: string[];
}

export interface Tag {
  id: string;
  category_id: string;
  name: string;
  description: string;
  used_by: string[];
}

/** An inventory object as the tagging service names it: the moref's type and value. */
export interface ObjectId {
  type: string;
  id: string;
}

/** What a tagging operation refused, with the vAPI standard error kind it corresponds to. */
export type TaggingErrorKind = 'not_found' | 'already_exists' | 'invalid_argument';

export class TaggingError extends Error {
  constructor(
    readonly kind: TaggingErrorKind,
    readonly id: string,
    message: string,
    readonly args: string[] = [],
  ) {
    super(message);
    this.name = 'TaggingError';
  }
}

export interface CategorySpec {
  name: string;
  description: string;
  cardinality: Cardinality;
  associable_types: string[];
}

export interface CategoryUpdate {
  name?: string;
  description?: string;
  cardinality?: Cardinality;
  associable_types?: string[];
}

export interface TagSpec {
  name: string;
  description: string;
  category_id: string;
}

export interface TagUpdate {
  name?: string;
  description?: string;
}

const objectKey = (object: ObjectId) => `${object.type}:${object.id}`;

/** One failure of a batch operation, as vAPI's LocalizableMessage. */
/** A batch operation's answer: each item's failure collected, as the vAPI batch calls report them. */
export interface BatchResult {
  success: boolean;
  error_messages: BatchMessage[];
}

/** Runs `each` per item, collecting tagging failures rather than stopping at the first. */
export function collectBatch<T>(items: T[], each: (item: T) => void): BatchResult {
  const errors: BatchMessage[] = [];
  for (const item of items) {
    try {
      each(item);
    } catch (error) {
      if (!(error instanceof TaggingError)) throw error;
      errors.push({ id: error.id, default_message: error.message, args: error.args });
    }
  }
  return { success: errors.length === 0, error_messages: errors };
}

export interface BatchMessage {
  id: string;
  default_message: string;
  args: string[];
}

export class TagStore {
  private readonly categories = new Map<string, Category>();
  private readonly tags = new Map<string, Tag>();
  /** tag id → object key → object. */
  private readonly objectsByTag = new Map<string, Map<string, ObjectId>>();
  /** object key → tag ids. */
  private readonly tagsByObject = new Map<string, Set<string>>();
  private counter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly seed: () => number,
  ) {}

  private newUuid(kind: string): string {
    const hex = createHash('sha256').update(`${this.seed()}:${kind}:${++this.counter}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  // ------------------------------------------------------------------ categories

  listCategories(): string[] {
    return [...this.categories.keys()];
  }

  getCategory(id: string): Category {
    const category = this.categories.get(id);
    if (!category) throw new TaggingError('not_found', 'com.vmware.cis.tagging.objectNotFound', `Category with identifier '${id}' does not exist.`, [id]);
    return category;
  }

  createCategory(spec: CategorySpec): string {
    this.requireUniqueCategoryName(spec.name);
    const id = `urn:vmomi:InventoryServiceCategory:${this.newUuid('category')}:GLOBAL`;
    this.categories.set(id, { id, ...spec, associable_types: [...new Set(spec.associable_types)], used_by: [] });
    return id;
  }

  /**
   * As vCenter: cardinality may only widen (SINGLE → MULTIPLE), and associable types may only be
   * added to (an empty list already means every type).
   */
  updateCategory(id: string, update: CategoryUpdate): void {
    const category = this.getCategory(id);
    if (update.name !== undefined && update.name !== category.name) this.requireUniqueCategoryName(update.name);
    if (update.cardinality === 'SINGLE' && category.cardinality === 'MULTIPLE') {
      throw invalid('cardinality', 'The cardinality of a category can only change from SINGLE to MULTIPLE.');
    }
    if (update.associable_types !== undefined) {
      const next = new Set(update.associable_types);
      const narrows = category.associable_types.length === 0 ? next.size > 0 : category.associable_types.some((t) => !next.has(t));
      if (narrows) throw invalid('associable_types', 'Associable types of a category can only be added to, never removed.');
    }
    if (update.name !== undefined) category.name = update.name;
    if (update.description !== undefined) category.description = update.description;
    if (update.cardinality !== undefined) category.cardinality = update.cardinality;
    if (update.associable_types !== undefined) category.associable_types = [...new Set(update.associable_types)];
  }

  /** Deletes the category, its tags and their associations. */
  deleteCategory(id: string): void {
    this.getCategory(id);
    for (const tag of [...this.tags.values()]) if (tag.category_id === id) this.deleteTag(tag.id);
    this.categories.delete(id);
  }

  addCategoryUsedBy(id: string, entity: string): void {
    addOnce(this.getCategory(id).used_by, entity);
  }

  removeCategoryUsedBy(id: string, entity: string): void {
    removeAll(this.getCategory(id).used_by, entity);
  }

  private requireUniqueCategoryName(name: string): void {
    for (const category of this.categories.values()) {
      if (category.name === name) {
        throw new TaggingError('already_exists', 'com.vmware.cis.tagging.category.alreadyExists', `A category named '${name}' already exists.`, [name]);
      }
    }
  }

  // ------------------------------------------------------------------ tags

  listTags(): string[] {
    return [...this.tags.keys()];
  }

  listTagsForCategory(categoryId: string): string[] {
    this.getCategory(categoryId);
    return [...this.tags.values()].filter((tag) => tag.category_id === categoryId).map((tag) => tag.id);
  }

  getTag(id: string): Tag {
    const tag = this.tags.get(id);
    if (!tag) throw new TaggingError('not_found', 'com.vmware.cis.tagging.objectNotFound', `Tag with identifier '${id}' does not exist.`, [id]);
    return tag;
  }

  createTag(spec: TagSpec): string {
    this.getCategory(spec.category_id);
    this.requireUniqueTagName(spec.category_id, spec.name);
    const id = `urn:vmomi:InventoryServiceTag:${this.newUuid('tag')}:GLOBAL`;
    this.tags.set(id, { id, category_id: spec.category_id, name: spec.name, description: spec.description, used_by: [] });
    return id;
  }

  updateTag(id: string, update: TagUpdate): void {
    const tag = this.getTag(id);
    if (update.name !== undefined && update.name !== tag.name) this.requireUniqueTagName(tag.category_id, update.name);
    if (update.name !== undefined) tag.name = update.name;
    if (update.description !== undefined) tag.description = update.description;
  }

  /** Deletes the tag and detaches it from every object. */
  deleteTag(id: string): void {
    this.getTag(id);
    for (const key of this.objectsByTag.get(id)?.keys() ?? []) this.tagsByObject.get(key)?.delete(id);
    this.objectsByTag.delete(id);
    this.tags.delete(id);
  }

  addTagUsedBy(id: string, entity: string): void {
    addOnce(this.getTag(id).used_by, entity);
  }

  removeTagUsedBy(id: string, entity: string): void {
    removeAll(this.getTag(id).used_by, entity);
  }

  private requireUniqueTagName(categoryId: string, name: string): void {
    for (const tag of this.tags.values()) {
      if (tag.category_id === categoryId && tag.name === name) {
        throw new TaggingError('already_exists', 'com.vmware.cis.tagging.tag.alreadyExists', `A tag named '${name}' already exists in this category.`, [name]);
      }
    }
  }

  // ------------------------------------------------------------------ associations

  /**
   * Attaches the tag to the object (a no-op when attached already). The object must exist, be of a
   * type the tag's category allows, and, in a SINGLE category, carry no other tag of that category.
   */
  attach(tagId: string, object: ObjectId): void {
    const tag = this.getTag(tagId);
    this.requireObject(object);
    const category = this.getCategory(tag.category_id);
    const types = category.associable_types;
    if (types.length > 0 && !types.includes(object.type) && !types.includes(`urn:vim25:${object.type}`)) {
      throw invalid('object_id', `Tag '${tagId}' of category '${category.name}' cannot be attached to objects of type ${object.type}.`);
    }
    const key = objectKey(object);
    const attached = this.tagsByObject.get(key);
    if (attached?.has(tagId)) return;
    if (category.cardinality === 'SINGLE') {
      for (const other of attached ?? []) {
        if (this.tags.get(other)?.category_id === category.id) {
          throw new TaggingError(
            'invalid_argument',
            'com.vmware.cis.tagging.cardinality.single',
            `Object ${object.type}:${object.id} already has a tag of category '${category.name}', which allows one tag per object.`,
            [category.id],
          );
        }
      }
    }
    if (attached) attached.add(tagId);
    else this.tagsByObject.set(key, new Set([tagId]));
    let objects = this.objectsByTag.get(tagId);
    if (!objects) this.objectsByTag.set(tagId, (objects = new Map()));
    objects.set(key, { type: object.type, id: object.id });
  }

  /** Detaches the tag from the object; detaching a tag that is not attached is a no-op. */
  detach(tagId: string, object: ObjectId): void {
    this.getTag(tagId);
    this.requireObject(object);
    const key = objectKey(object);
    this.tagsByObject.get(key)?.delete(tagId);
    this.objectsByTag.get(tagId)?.delete(key);
  }

  /** The tags in `tagIds` attached to (or detached from) one object, failures collected. */
  batchOnObject(tagIds: string[], object: ObjectId, each: (tagId: string, object: ObjectId) => void): BatchResult {
    this.requireObject(object);
    return collectBatch(tagIds, (tagId) => each(tagId, object));
  }

  /** One tag attached to (or detached from) many objects, failures collected. */
  batchOnTag(tagId: string, objects: ObjectId[], each: (tagId: string, object: ObjectId) => void): BatchResult {
    this.getTag(tagId);
    return collectBatch(objects, (object) => each(tagId, object));
  }

  listAttachedTags(object: ObjectId): string[] {
    return [...(this.tagsByObject.get(objectKey(object)) ?? [])];
  }

  listAttachedObjects(tagId: string): ObjectId[] {
    this.getTag(tagId);
    return [...(this.objectsByTag.get(tagId)?.values() ?? [])].map((o) => ({ ...o }));
  }

  /** Forgets every association of an object leaving the inventory (a destroyed or unregistered VM). */
  forgetObject(type: string, id: string): void {
    const key = objectKey({ type, id });
    for (const tagId of this.tagsByObject.get(key) ?? []) this.objectsByTag.get(tagId)?.delete(key);
    this.tagsByObject.delete(key);
  }

  private requireObject(object: ObjectId): void {
    if (!this.registry.get(new MoRef(object.type, object.id))) {
      throw new TaggingError(
        'not_found',
        'com.vmware.cis.tagging.objectNotFound',
        `Object ${object.type}:${object.id} does not exist.`,
        [`${object.type}:${object.id}`],
      );
    }
  }
}

function invalid(field: string, message: string): TaggingError {
  return new TaggingError('invalid_argument', 'com.vmware.cis.tagging.invalidArgument', message, [field]);
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function removeAll(list: string[], value: string): void {
  for (let i = list.length - 1; i >= 0; i--) if (list[i] === value) list.splice(i, 1);
}
