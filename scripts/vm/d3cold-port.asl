/*
 * SSDT for the test VM (scripts/vm-run.sh --root-port --d3cold): power
 * resources for the PCIe root port \_SB.PCI0.SE0 (00:1c.0, where vm-run.sh
 * puts the port) rather than for the device below it, the way laptops
 * describe a discrete GPU's slot. The device itself goes to D3hot; once the
 * port runtime suspends, the PCI core calls the resource's _OFF and the port
 * and everything below it are in D3cold. QEMU emulates no power rail; the
 * resource only keeps a state. Compiled by scripts/vm-run.sh with iasl.
 */
DefinitionBlock ("", "SSDT", 2, "VFIOPM", "D3CPORT", 1)
{
	External (\_SB.PCI0, DeviceObj)
	External (\_SB.PCI0.SE0, DeviceObj)

	Scope (\_SB.PCI0)
	{
		PowerResource (PRRP, 0, 0)
		{
			Name (ONST, One)
			Method (_STA, 0, NotSerialized)
			{
				Return (ONST)
			}
			Method (_ON, 0, NotSerialized)
			{
				ONST = One
			}
			Method (_OFF, 0, NotSerialized)
			{
				ONST = Zero
			}
		}
	}

	Scope (\_SB.PCI0.SE0)
	{
		Name (_PR0, Package (0x01) { PRRP })
		Name (_PR3, Package (0x01) { PRRP })
	}
}
