/**
 * Reads one `ObjectContent` document, the unit of a `govc object.save` directory (and the saved
 * method responses beside it): the root
 * element `<ObjectContent>` with its `obj` moref and `propSet` (name, val with `xsi:type`), as
 * govmomi's vim25/xml encoder writes it. Values are decoded by the SOAP decoder, directed by the
 * type table, so they come out as request arguments do: data objects with `_type`, MoRef, numbers,
 * dates; an `ArrayOfX` value becomes an array of X.
 */
import { VimFault } from '../../models/core/fault.js';
import { MoRef, Typed } from '../../models/core/moref.js';
import { PRIMITIVE_TYPES, type ReturnInfo, type TypeTable } from '../../models/core/type-table.js';
import { SoapDecoder, type Decl } from './decode.js';
import { childNamed, parseXml, XmlError, type XmlElement } from './xml.js';

export interface ObjectContent {
  obj: MoRef;
  propSet: { name: string; val: unknown }[];
}

/** A document that is not XML, or not an ObjectContent the type table can read. */
export class ObjectContentError extends Error {}

export class ObjectContentReader {
  private readonly decoder: SavedValueDecoder;

  constructor(private readonly types: TypeTable) {
    this.decoder = new SavedValueDecoder(types);
  }

  /** Decodes `xml`; throws ObjectContentError saying what is wrong. */
  read(xml: string): ObjectContent {
    const root = this.parse(xml);
    if (root.name !== 'ObjectContent' && root.xsiType !== 'ObjectContent') {
      throw new ObjectContentError(`the root element is <${root.name}>, not <ObjectContent>`);
    }
    const objElement = childNamed(root, 'obj');
    const value = objElement?.text.trim();
    if (!objElement || !value || !objElement.type) throw new ObjectContentError('an ObjectContent needs an <obj type="..."> moref');
    if (!this.types.isManaged(objElement.type)) throw new ObjectContentError(`unknown managed object type ${objElement.type}`);
    const obj = new MoRef(objElement.type, value);
    const propSet: ObjectContent['propSet'] = [];
    for (const child of root.children) {
      if (child.name !== 'propSet') continue;
      const name = childNamed(child, 'name')?.text.trim();
      if (!name) throw new ObjectContentError(`a propSet of ${obj.type}:${obj.value} has no <name>`);
      const val = childNamed(child, 'val');
      try {
        propSet.push({ name, val: val ? this.property(obj.type, name, val) : undefined });
      } catch (error) {
        const why = error instanceof VimFault || error instanceof Error ? error.message : String(error);
        throw new ObjectContentError(`property ${name} of ${obj.type}:${obj.value}: ${why}`);
      }
    }
    return { obj, propSet };
  }

  /**
   * A saved method response (`<XResponse>` with its `returnval`s, as govc object.save writes the
   * answers of FetchDVPorts, QueryConfigOption, ...): the value the method returns.
   */
  readResponse(xml: string, method: string, returns: ReturnInfo | null): unknown {
    const root = this.parse(xml);
    if (root.name !== `${method}Response`) throw new ObjectContentError(`the root element is <${root.name}>, not <${method}Response>`);
    if (!returns) return undefined;
    const values = root.children.filter((child) => child.name === 'returnval').map((child) => this.decoder.value(child, { type: returns.type, mo: returns.mo }));
    return returns.array ? values : values[0];
  }

  private parse(xml: string): XmlElement {
    try {
      return parseXml(xml, 200);
    } catch (error) {
      if (error instanceof XmlError) throw new ObjectContentError(`not valid XML: ${error.message}`);
      throw error;
    }
  }

  /**
   * A property's value (DynamicProperty.val, an anyType slot): decoded as the property the managed
   * type declares, so it is stored as the models store it; a property the table does not know
   * is decoded by its xsi:type alone.
   */
  private property(type: string, name: string, element: XmlElement): unknown {
    const decl = this.types.prop(type, name);
    const given = element.xsiType;
    if (given?.startsWith('ArrayOf')) {
      const item = decl && decl.type !== 'anyType' ? decl.type : itemType(given.slice('ArrayOf'.length), this.types);
      return element.children.map((child) => this.decoder.value(child, { type: item, mo: decl?.mo }));
    }
    if (decl && decl.type !== 'anyType' && !decl.array) return this.decoder.value(element, decl);
    return this.decoder.value(element, { type: 'anyType' });
  }
}

/**
 * The SOAP decoder, keeping what an anyType slot inside a value says of its type (an OptionValue
 * of xsd:long, an ArrayOfString), so the value is sent back as it was saved.
 */
class SavedValueDecoder extends SoapDecoder {
  constructor(private readonly table: TypeTable) {
    super(table);
  }

  override value(element: XmlElement, decl: Decl): unknown {
    const given = element.xsiType;
    if (decl.type !== 'anyType' || !given || element.nil) return super.value(element, decl);
    if (given.startsWith('ArrayOf')) {
      const item = itemType(given.slice('ArrayOf'.length), this.table);
      return new Typed(item, element.children.map((child) => super.value(child, { type: item })), true);
    }
    const value = super.value(element, decl);
    return keepsType(given, value) || this.table.isEnum(given) ? new Typed(given, value) : value;
  }
}

/** Primitives the encoder would send as another type if given bare (it infers int, double, string, boolean, dateTime). */
function keepsType(given: string, value: unknown): boolean {
  switch (given) {
    case 'long':
    case 'short':
    case 'byte':
    case 'float':
    case 'base64Binary':
      return true;
    case 'double':
      return typeof value === 'number' && Number.isInteger(value);
    default:
      return false;
  }
}

/** The item type of `ArrayOf<name>`: `ArrayOfString` holds `string`, `ArrayOfVirtualDevice` `VirtualDevice`. */
function itemType(name: string, types: TypeTable): string {
  const lower = name[0]!.toLowerCase() + name.slice(1);
  if (PRIMITIVE_TYPES.has(lower) || lower === 'anyType') return lower;
  if (name === 'ManagedObjectReference' || types.isDataType(name) || types.isEnum(name)) return name;
  throw new ObjectContentError(`unknown type ArrayOf${name}`);
}
