a = { $count ->
    [one] one
   *[other] { $count } { -term }
}
-term = T
    .attr = x
b = { a.attr } { NUMBER($count, minimumFractionDigits: 2) }
