// The one DOM helper of the console and the demo (served as ./dom.js at /console and /demo).

/** An element with attributes (`class`, `dataset` and any other) and children (nodes, or values shown as text). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value);
  }

  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }

  return node;
}
