// Bundle-size probe: a program that uses only the scalar Value graph.
import { value } from '@chainrule/core';
const a = value(2);
const b = a.mul(a).add(a);
b.backward();
console.log(a.grad);
